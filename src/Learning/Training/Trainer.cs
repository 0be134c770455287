using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Training;

/// <summary>Where an epoch's shuffle seed comes from: the run seed and the shard and slice being trained.</summary>
public readonly record struct TrainingSeed(long RunSeed, int Shard = 0, int Slice = 0)
{
    /// <summary>The generator of the shuffle of <paramref name="epoch"/>.</summary>
    public Random ForEpoch(int epoch) => Seeds.Generator(RunSeed, Seeds.Purpose.Shuffle, Shard, Slice, epoch);
}

/// <summary>Progress of a training run, reported after every epoch.</summary>
public readonly record struct EpochProgress(int Epoch, int Epochs, double MeanLoss, long Samples, TimeSpan Elapsed);

/// <summary>Mini-batch training with a seeded shuffle per epoch.</summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place on the rows <paramref name="indices"/> of
    /// <paramref name="data"/>; the order of examples in each epoch depends only on the seed and the indices.
    /// </summary>
    /// <returns>The mean loss of the last epoch (NaN when nothing was trained).</returns>
    public static double Train(
        Mlp model, IOptimiser optimiser, Dataset data, ReadOnlySpan<int> indices, TrainingOptions options,
        TrainingSeed seed, IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (indices.IsEmpty || options.Epochs == 0) return double.NaN;
        var backprop = new Backpropagation(model, Math.Min(options.BatchSize, indices.Length));
        var order = new int[indices.Length];
        var clock = Stopwatch.StartNew();
        var lastLoss = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            Shuffle(indices, seed.ForEpoch(epoch), order);
            double lossSum = 0;
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lossSum += Step(backprop, optimiser, data, order, start, options.BatchSize);
            }

            lastLoss = lossSum / order.Length;
            progress?.Report(new EpochProgress(epoch + 1, options.Epochs, lastLoss, (long)(epoch + 1) * order.Length, clock.Elapsed));
        }

        return lastLoss;
    }

    /// <summary>Writes <paramref name="indices"/> into <paramref name="order"/> in the order <paramref name="generator"/> shuffles them.</summary>
    public static void Shuffle(ReadOnlySpan<int> indices, Random generator, Span<int> order)
    {
        indices.CopyTo(order);
        generator.Shuffle(order[..indices.Length]);
    }

    /// <summary>
    /// One optimiser step on the batch <c>order[start .. start + batchSize)</c> (shorter at the end), with
    /// the rows of the following batch prefetched; returns the batch's summed loss.
    /// </summary>
    public static double Step(Backpropagation backprop, IOptimiser optimiser, Dataset data, int[] order, int start, int batchSize)
    {
        var length = Math.Min(batchSize, order.Length - start);
        var next = start + batchSize;
        if (next < order.Length) data.Prefetch(order.AsSpan(next, Math.Min(batchSize, order.Length - next)));
        return backprop.Run(data, order.AsMemory(start, length), CrossEntropyLoss.Instance, optimiser: optimiser) * length;
    }
}
