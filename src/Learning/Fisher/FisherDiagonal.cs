using System.Numerics.Tensors;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Fisher;

/// <summary>
/// The diagonal of the Fisher information of an <see cref="Mlp"/>: per parameter, the mean over
/// examples of the squared per-example gradient of the log-likelihood, laid out like
/// <see cref="Mlp.Parameters"/>. Computed in batches, one GEMM per layer per batch.
/// </summary>
/// <remarks>Squared mini-batch gradients are not a Fisher estimate: the squares are taken per example.</remarks>
public static class FisherDiagonal
{
    // Keeps the Fisher's sample independent of every other sample drawn from the same run seed.
    private const int SamplingStream = 1;

    /// <summary>
    /// The Fisher diagonal averaged over at most <see cref="FisherOptions.MaxSamples"/> rows of
    /// <paramref name="indices"/>, drawn with <c>Seeds.Generator(seed, Sampling, ...)</c> when there are more.
    /// </summary>
    public static float[] Estimate(
        Mlp model, Dataset data, ReadOnlySpan<int> indices, FisherOptions options, long seed, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var sample = IndexSampling.Draw(indices, options.MaxSamples, Seeds.Generator(seed, Seeds.Purpose.Sampling, SamplingStream));
        return Compute(model, data, sample, options.Kind, options.BatchSize, cancellationToken);
    }

    /// <summary>The Fisher diagonal averaged over every row of <paramref name="indices"/>.</summary>
    public static float[] Compute(
        Mlp model, Dataset data, ReadOnlySpan<int> indices, FisherKind kind, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (indices.IsEmpty) throw new ArgumentException("The Fisher needs at least one example.", nameof(indices));
        if (data.FeatureCount != model.InputSize || data.ClassCount != model.OutputSize)
        {
            throw new ArgumentException(
                $"The data ({data.FeatureCount} features, {data.ClassCount} classes) does not fit the model ({model.InputSize} inputs, {model.OutputSize} outputs).",
                nameof(data));
        }

        foreach (var row in indices)
        {
            if ((uint)row >= (uint)data.Count) throw new ArgumentException($"Index {row} is not a row of the data (0..{data.Count - 1}).", nameof(indices));
        }

        var rows = indices.ToArray();
        var accumulator = new FisherAccumulator(model, Math.Min(batchSize, rows.Length));
        for (var start = 0; start < rows.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            accumulator.Add(data, rows.AsMemory(start, Math.Min(batchSize, rows.Length - start)), kind);
        }

        var mean = accumulator.Sums;
        TensorPrimitives.Multiply(mean, 1f / accumulator.Count, mean);
        return mean;
    }
}
