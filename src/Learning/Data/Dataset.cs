using System.Runtime.Intrinsics.X86;
using Lethe.Learning.Kernels;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Data;

/// <summary>
/// Labelled examples held as pixel bytes; rows become normalised float features when a batch is
/// gathered, so an epoch reads a quarter of the memory a float copy would.
/// </summary>
public sealed class Dataset
{
    private const int RowGrain = 8;
    private const int CacheLine = 64;

    /// <summary>Creates a dataset over <paramref name="pixels"/> (count x featureCount, row-major).</summary>
    public Dataset(byte[] pixels, int[] labels, int featureCount, int classCount, Normalisation normalisation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (pixels.Length != (long)labels.Length * featureCount)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not make {labels.Length} rows of {featureCount}.", nameof(pixels));
        foreach (var label in labels)
        {
            if ((uint)label >= (uint)classCount)
                throw new ArgumentException($"Label {label} is outside 0..{classCount - 1}.", nameof(labels));
        }

        Pixels = pixels;
        Labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        Normalisation = normalisation;
    }

    /// <summary>Raw pixel bytes, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class label of each row.</summary>
    public int[] Labels { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>Features per row (784 for 28x28 images).</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The map from pixel bytes to features.</summary>
    public Normalisation Normalisation { get; }

    /// <summary>The pixel bytes of one row.</summary>
    public ReadOnlySpan<byte> Row(int index) => Pixels.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>Writes the normalised features and labels of <paramref name="indices"/> into a batch.</summary>
    public void Gather(ReadOnlyMemory<int> indices, Memory<float> features, Memory<int> labels)
    {
        if (features.Length < indices.Length * FeatureCount) throw new ArgumentException("Feature buffer too small for the batch.", nameof(features));
        if (labels.Length < indices.Length) throw new ArgumentException("Label buffer too small for the batch.", nameof(labels));
        ComputePool.For(indices.Length, RowGrain, (start, end) =>
            GatherRows(indices.Span[start..end], features.Span.Slice(start * FeatureCount, (end - start) * FeatureCount), labels.Span[start..end]));
    }

    /// <summary>
    /// Asks the processor to start loading the rows of <paramref name="indices"/> into cache, so a
    /// later <see cref="Gather"/> of them does not wait on memory row by row.
    /// </summary>
    public unsafe void Prefetch(ReadOnlySpan<int> indices)
    {
        if (!Sse.IsSupported) return;
        fixed (byte* pixels = Pixels)
        {
            foreach (var index in indices)
            {
                var row = pixels + ((long)index * FeatureCount);
                for (var offset = 0; offset < FeatureCount; offset += CacheLine) Sse.Prefetch1(row + offset);
            }
        }
    }

    private void GatherRows(ReadOnlySpan<int> indices, Span<float> features, Span<int> labels)
    {
        var scale = Normalisation.Scale;
        var shift = Normalisation.Shift;
        for (var i = 0; i < indices.Length; i++)
        {
            Normalise.Bytes(Row(indices[i]), scale, shift, features.Slice(i * FeatureCount, FeatureCount));
            labels[i] = Labels[indices[i]];
        }
    }

    /// <summary>A dataset holding copies of the given rows, in that order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        var pixels = new byte[indices.Length * FeatureCount];
        var labels = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Row(indices[i]).CopyTo(pixels.AsSpan(i * FeatureCount));
            labels[i] = Labels[indices[i]];
        }

        return new Dataset(pixels, labels, FeatureCount, ClassCount, Normalisation);
    }

    /// <summary>The row indices 0..Count-1.</summary>
    public int[] AllIndices() => Enumerable.Range(0, Count).ToArray();
}
