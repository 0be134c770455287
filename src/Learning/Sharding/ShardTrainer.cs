using System.Runtime.InteropServices;
using Lethe.Learning.Checkpoints;
using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Sharding;

/// <summary>One shard's model after training some of its stages, with a checkpoint after each of them.</summary>
/// <param name="Model">The model after the last stage.</param>
/// <param name="Checkpoints">Model and optimiser state (safetensors) after each stage trained, first stage first.</param>
/// <param name="SamplesTrained">Examples passed through training steps, over all stages and epochs.</param>
public sealed record ShardRun(Mlp Model, IReadOnlyList<byte[]> Checkpoints, long SamplesTrained);

/// <summary>One stage of a shard's training: the slice it adds, its epochs, and the records it trains on (those of slices 0..Slice).</summary>
public readonly record struct ShardStage(int Slice, int Epochs, long Records)
{
    /// <summary>Examples the stage passes through training steps.</summary>
    public long Samples => Epochs * Records;
}

/// <summary>
/// Trains one shard stage by stage, as SISA does. Stage j (0-based) trains on the records of slices
/// 0..j, concatenated in slice order, for the epochs <see cref="ShardingOptions.StageEpochs"/> gives it, shuffled with
/// <see cref="TrainingSeed"/>(run seed, shard, j); the initial weights come from
/// <c>Seeds.Generator(run seed, Initialisation, shard)</c>. So any stage can be replayed from the checkpoint before it and
/// gives what training from scratch would.
/// </summary>
public static class ShardTrainer
{
    /// <summary>
    /// Trains stages <paramref name="fromSlice"/>..R-1 of a shard whose slices hold
    /// <paramref name="slices"/> (R lists of record ids), starting from fresh weights when
    /// <paramref name="fromSlice"/> is 0 and from <paramref name="checkpointBefore"/> (the checkpoint
    /// after stage fromSlice-1) otherwise. Each stage's checkpoint goes to <paramref name="trained"/> as the stage ends.
    /// </summary>
    public static ShardRun Run(
        Dataset data, int shard, IReadOnlyList<IReadOnlyList<int>> slices, int fromSlice, ReadOnlySpan<byte> checkpointBefore,
        ShardingOptions options, long runSeed, IProgress<ShardProgress>? progress = null, IProgress<TrainedStage>? trained = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentOutOfRangeException.ThrowIfNegative(fromSlice);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fromSlice, slices.Count);
        var training = options.Validate().Training;
        if (slices.Count != options.Slices) throw new ArgumentException($"{slices.Count} slices given; the options ask for {options.Slices}.", nameof(slices));
        var (model, optimiser) = Start(shard, fromSlice, checkpointBefore, options, runSeed);

        var stageRecords = slices.Take(fromSlice).SelectMany(slice => slice).ToList();
        var checkpoints = new List<byte[]>();
        long samples = 0;
        foreach (var stage in Stages(slices.Select(slice => slice.Count).ToArray(), fromSlice, options))
        {
            stageRecords.AddRange(slices[stage.Slice]);
            var stageProgress = progress is null ? null : new StageProgress(progress, shard, stage.Slice);
            Trainer.Train(model, optimiser, data, CollectionsMarshal.AsSpan(stageRecords), training with { Epochs = stage.Epochs }, new TrainingSeed(runSeed, shard, stage.Slice), stageProgress, cancellationToken);
            samples += stage.Samples;
            checkpoints.Add(ModelCheckpoint.Save(model, optimiser, StageCheckpoint.Metadata(options, runSeed, shard, stage.Slice, BlasBackend.Instance.Engine)));
            trained?.Report(new TrainedStage(shard, stage.Slice, checkpoints[^1]));
        }

        return new ShardRun(model, checkpoints, samples);
    }

    /// <summary>Examples a run from <paramref name="fromSlice"/> trains on, given how many records each slice holds: what <see cref="Run"/> trains.</summary>
    public static long SamplesToTrain(IReadOnlyList<int> sliceCounts, int fromSlice, ShardingOptions options) =>
        Stages(sliceCounts, fromSlice, options).Sum(stage => stage.Samples);

    /// <summary>
    /// The stages a run from <paramref name="fromSlice"/> trains, given how many records each slice holds:
    /// each adds one slice and trains the epochs <see cref="ShardingOptions.StageEpochs"/> gives it over every
    /// record so far. Every backend trains these stages, and plans count them.
    /// </summary>
    public static IReadOnlyList<ShardStage> Stages(IReadOnlyList<int> sliceCounts, int fromSlice, ShardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(sliceCounts);
        var stageEpochs = options.StageEpochs();
        if (sliceCounts.Count != stageEpochs.Count) throw new ArgumentException($"{sliceCounts.Count} slice counts given; the options have {stageEpochs.Count} slices.", nameof(sliceCounts));
        var stages = new List<ShardStage>();
        long cumulative = sliceCounts.Take(fromSlice).Sum();
        for (var slice = fromSlice; slice < sliceCounts.Count; slice++)
        {
            cumulative += sliceCounts[slice];
            stages.Add(new ShardStage(slice, stageEpochs[slice], cumulative));
        }

        return stages;
    }

    private static (Mlp Model, Optimisers.IOptimiser Optimiser) Start(int shard, int fromSlice, ReadOnlySpan<byte> checkpointBefore, ShardingOptions options, long runSeed)
    {
        if (fromSlice == 0)
        {
            var fresh = Mlp.Create(options.ModelSizes, runSeed, shard);
            return (fresh, options.Training.CreateOptimiser(fresh.Parameters.Length));
        }

        if (checkpointBefore.IsEmpty) throw new ArgumentException($"Replaying from slice {fromSlice} needs the checkpoint after stage {fromSlice - 1}.", nameof(checkpointBefore));
        var engine = StageCheckpoint.Check(checkpointBefore, options, runSeed, shard, fromSlice - 1);
        if (engine != BlasBackend.Instance.Engine)
            throw new InvalidDataException($"The checkpoint was computed by {engine}; replaying it on {BlasBackend.Instance.Engine} would not be exact (retrain the shard from its first slice).");
        var (model, state, _) = ModelCheckpoint.Load(checkpointBefore);
        if (!model.Sizes.SequenceEqual(options.ModelSizes))
            throw new ArgumentException($"The checkpoint holds a {string.Join('-', model.Sizes)} model; the options ask for {string.Join('-', options.ModelSizes)}.", nameof(checkpointBefore));
        var optimiser = options.Training.CreateOptimiser(model.Parameters.Length);
        optimiser.LoadState(state ?? throw new ArgumentException("The checkpoint holds no optimiser state; a replay needs it.", nameof(checkpointBefore)));
        return (model, optimiser);
    }

    private sealed class StageProgress(IProgress<ShardProgress> target, int shard, int slice) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => target.Report(new ShardProgress(shard, slice, value));
    }
}
