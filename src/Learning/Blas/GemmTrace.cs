namespace Lethe.Learning.Blas;

/// <summary>The shape of one matrix product, as recorded by <see cref="GemmTrace"/>.</summary>
public readonly record struct GemmShape(Transpose TransposeA, Transpose TransposeB, int M, int N, int K)
{
    /// <summary>Floating-point operations of the product (a multiply and an add per term).</summary>
    public long Flops => 2L * M * N * K;
}

/// <summary>
/// Records the shapes of the products the current thread issues, so a benchmark can time the very
/// same sequence of products alone.
/// </summary>
public static class GemmTrace
{
    [ThreadStatic] private static List<GemmShape>? recording;

    /// <summary>Starts recording on this thread; dispose the result to stop.</summary>
    public static IDisposable Record(out IReadOnlyList<GemmShape> shapes)
    {
        var list = new List<GemmShape>();
        recording = list;
        shapes = list;
        return new Stop();
    }

    internal static void Observe(Transpose transposeA, Transpose transposeB, int m, int n, int k) =>
        recording?.Add(new GemmShape(transposeA, transposeB, m, n, k));

    private sealed class Stop : IDisposable
    {
        public void Dispose() => recording = null;
    }
}
