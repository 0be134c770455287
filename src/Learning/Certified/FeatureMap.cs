using System.Numerics.Tensors;
using Lethe.Learning.Data;
using Lethe.Learning.Kernels;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Certified;

/// <summary>
/// The feature map of a <see cref="CertifiedModel"/>, fixed before any data is seen: a record's pixels
/// scaled to [0, 1] with a constant 1 appended, the row then scaled to unit norm. It depends on the
/// record alone, and every feature is non-negative, which the spectral-norm bound of
/// <see cref="ResidualBound"/> relies on.
/// </summary>
internal sealed class FeatureMap(int inputs)
{
    private const int RowGrain = 8;

    /// <summary>Pixels per input row.</summary>
    public int Inputs { get; } = inputs;

    /// <summary>Features per row, the constant included.</summary>
    public int Dimension => Inputs + 1;

    /// <summary>Writes the features of <paramref name="rows"/> into <paramref name="features"/> (rows x <see cref="Dimension"/>).</summary>
    public void Map(Dataset data, ReadOnlySpan<int> rows, Span<float> features)
    {
        if (data.FeatureCount != Inputs) throw new ArgumentException($"The data has {data.FeatureCount} pixels a row; the feature map takes {Inputs}.", nameof(data));
        var dimension = Dimension;
        if (features.Length < rows.Length * dimension) throw new ArgumentException("Feature buffer too small.", nameof(features));
        var indices = rows.ToArray();
        var output = new float[indices.Length * dimension];
        ComputePool.For(indices.Length, RowGrain, (start, end) =>
        {
            for (var n = start; n < end; n++)
            {
                var row = output.AsSpan(n * dimension, dimension);
                Normalise.Bytes(data.Row(indices[n]), 1f / 255f, 0f, row);
                row[^1] = 1f;
                TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
            }
        });
        output.AsSpan().CopyTo(features);
    }
}
