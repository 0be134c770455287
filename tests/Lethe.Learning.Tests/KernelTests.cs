using Lethe.Learning.Kernels;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Tests;

public class KernelTests
{
    [Fact]
    public void Normalise_matches_the_scalar_formula_on_every_length()
    {
        var random = new Random(1);
        foreach (var length in new[] { 0, 1, 31, 32, 33, 784, 1000 })
        {
            var pixels = new byte[length];
            random.NextBytes(pixels);
            var result = new float[length];
            Normalise.Bytes(pixels, 0.5f, -1.25f, result);
            for (var i = 0; i < length; i++) Assert.Equal(MathF.FusedMultiplyAdd(pixels[i], 0.5f, -1.25f), result[i]);
        }
    }

    [Fact]
    public void Relu_kernels_and_column_sums_match_their_definitions()
    {
        float[] values = [-1f, 0.5f, 2f, -3f, 1f, 0f, 7f, -0.1f, 4f];
        float[] bias = [0.5f, -1f, 1f, 0f, 0f, 0f, -7f, 0.2f, -5f];
        var expected = values.Zip(bias, (v, b) => Math.Max(v + b, 0f)).ToArray();
        ElementWise.AddRelu(values, bias);
        Assert.Equal(expected, values);

        float[] delta = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        ElementWise.MaskByPositive(delta, values);
        Assert.Equal(values.Select((v, i) => v > 0 ? i + 1f : 0f), delta);

        float[] matrix = [1, 2, 3, 4, 5, 6]; // 2 x 3
        var sums = new float[2];
        ElementWise.ColumnSums(matrix.AsSpan(1), 2, 3, sums);
        Assert.Equal([2f + 5f, 3f + 6f], sums);
    }

    [Fact]
    public void The_pool_covers_every_index_once_and_propagates_failures()
    {
        var hits = new int[10_000];
        ComputePool.For(hits.Length, 16, (start, end) =>
        {
            for (var i = start; i < end; i++) Interlocked.Increment(ref hits[i]);
        });
        Assert.All(hits, h => Assert.Equal(1, h));

        var nested = 0;
        ComputePool.Run(2, _ => ComputePool.Run(3, _ => Interlocked.Increment(ref nested)));
        Assert.Equal(6, nested);

        var error = Assert.Throws<InvalidOperationException>(() => ComputePool.Run(2, i =>
        {
            if (i == 1) throw new InvalidOperationException("part failed");
        }));
        Assert.Equal("part failed", error.Message);
    }

    [Fact]
    public void Range_boundaries_are_grain_aligned_and_end_at_the_count()
    {
        Assert.Equal(0, ComputePool.Boundary(100, 16, 2, 0));
        Assert.Equal(48, ComputePool.Boundary(100, 16, 2, 1));
        Assert.Equal(100, ComputePool.Boundary(100, 16, 2, 2));
    }
}
