using System.Runtime.InteropServices;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// <see cref="ShardTrainer"/>'s stage-by-stage SISA training on libtorch: the same initial weights
/// (<see cref="Mlp.Create"/> with the shard as path), the same stages (<see cref="ShardTrainer.Stages"/>), shuffles and recipe, and a
/// checkpoint in Lethe's format after every stage (with <see cref="StageCheckpoint"/>'s metadata), so a
/// replay from any checkpoint of the same engine gives what training from scratch would.
/// </summary>
internal static class TorchShardTrainer
{
    /// <summary>
    /// Trains stages <paramref name="fromSlice"/>..R-1 of a shard whose slices hold <paramref name="slices"/>,
    /// from fresh weights when <paramref name="fromSlice"/> is 0 and from <paramref name="checkpointBefore"/>
    /// (the checkpoint after stage fromSlice-1, written on <paramref name="engine"/>) otherwise.
    /// </summary>
    public static ShardRun Run(
        Dataset data, int shard, IReadOnlyList<IReadOnlyList<int>> slices, int fromSlice, ReadOnlySpan<byte> checkpointBefore,
        ShardingOptions options, long runSeed, Device device, string engine, IProgress<ShardProgress>? progress = null, IProgress<TrainedStage>? trained = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentOutOfRangeException.ThrowIfNegative(fromSlice);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fromSlice, slices.Count);
        var training = options.Validate().Training;
        var (model, optimiser) = Start(shard, fromSlice, checkpointBefore, options, runSeed, device, engine);
        using (model)
        using (optimiser)
        {
            var stageRecords = slices.Take(fromSlice).SelectMany(slice => slice).ToList();
            var checkpoints = new List<byte[]>();
            long samples = 0;
            foreach (var stage in ShardTrainer.Stages(slices.Select(slice => slice.Count).ToArray(), fromSlice, options))
            {
                stageRecords.AddRange(slices[stage.Slice]);
                var stageProgress = progress is null ? null : new Progress(progress, shard, stage.Slice);
                TorchTrainer.Train(
                    model, optimiser, data, CollectionsMarshal.AsSpan(stageRecords), training with { Epochs = stage.Epochs }, new TrainingSeed(runSeed, shard, stage.Slice), stageProgress, cancellationToken);
                samples += stage.Samples;
                checkpoints.Add(TorchCheckpoint.Save(model, optimiser, StageCheckpoint.Metadata(options, runSeed, shard, stage.Slice, engine)));
                trained?.Report(new TrainedStage(shard, stage.Slice, checkpoints[^1]));
            }

            return new ShardRun(model.ToMlp(), checkpoints, samples);
        }
    }

    private static (TorchMlp Model, TorchOptimiser Optimiser) Start(
        int shard, int fromSlice, ReadOnlySpan<byte> checkpointBefore, ShardingOptions options, long runSeed, Device device, string engine)
    {
        if (fromSlice == 0)
        {
            var fresh = TorchMlp.FromMlp(Mlp.Create(options.ModelSizes, runSeed, shard), device);
            return (fresh, TorchOptimiser.Create(fresh, options.Training));
        }

        if (checkpointBefore.IsEmpty) throw new ArgumentException($"Replaying from slice {fromSlice} needs the checkpoint after stage {fromSlice - 1}.", nameof(checkpointBefore));
        var written = StageCheckpoint.Check(checkpointBefore, options, runSeed, shard, fromSlice - 1);
        if (written != engine)
            throw new InvalidDataException($"The checkpoint was computed by {written}; replaying it on {engine} would not be exact (retrain the shard from its first slice).");
        var (model, state) = TorchCheckpoint.Load(checkpointBefore, device);
        if (!model.Sizes.SequenceEqual(options.ModelSizes))
        {
            model.Dispose();
            throw new ArgumentException($"The checkpoint holds a {string.Join('-', model.Sizes)} model; the options ask for {string.Join('-', options.ModelSizes)}.", nameof(checkpointBefore));
        }

        var optimiser = TorchOptimiser.Create(model, options.Training);
        optimiser.LoadState(state ?? throw new ArgumentException("The checkpoint holds no optimiser state; a replay needs it.", nameof(checkpointBefore)));
        return (model, optimiser);
    }

    private sealed class Progress(IProgress<ShardProgress> target, int shard, int slice) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => target.Report(new ShardProgress(shard, slice, value));
    }
}
