using Lethe.Learning.Threading;

namespace Lethe.Learning.Blas;

/// <summary>Work done on one block of C by the thread that computed it, right after it, while the block is in cache.</summary>
/// <param name="rowStart">First row of the block.</param>
/// <param name="rowEnd">One past the last row.</param>
/// <param name="columnStart">First column of the block.</param>
/// <param name="columnEnd">One past the last column.</param>
public delegate void GemmEpilogue(int rowStart, int rowEnd, int columnStart, int columnEnd);

/// <summary>How a product is cut into blocks of C for the threads.</summary>
public enum GemmSplit
{
    /// <summary>By rows, unless C has too few rows to give each thread a useful block; then by columns.</summary>
    Auto,

    /// <summary>By columns of C, so each thread reads only its own block of rows of a transposed B (a layer's weights).</summary>
    Columns,
}

/// <summary>Single-precision matrix products on row-major, densely packed matrices through OpenBLAS.</summary>
/// <remarks>
/// OpenBLAS runs single-threaded; a large product is cut into <see cref="Parts"/> blocks of rows (or
/// of columns, when there are few rows) of C, which the <see cref="ComputePool"/> threads claim. On
/// this project's shapes that beats OpenBLAS's own threading and leaves one thread team for the
/// element-wise work too. The cut depends on the product's shape alone, never on the thread count or
/// the machine, so a product gives the same bytes on 1, 2 or 16 threads (OpenBLAS may compute a
/// block of a different shape differently): what makes a SISA replay on any silo exact.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>
    /// Blocks a product large enough to split is cut into, whatever the thread count: two, so two
    /// threads (this project's machines) each take one block; more threads leave a product's blocks
    /// to two of them, and one thread runs both in turn.
    /// </summary>
    public const int Parts = 2;

    private const int Grain = 16;
    private const int MinimumRowsPerPart = 64;
    private const long MinimumSplitVolume = 64L * 64 * 64;

    /// <summary>Computes <c>C = alpha * op(A) * op(B) + beta * C</c>.</summary>
    /// <remarks>
    /// op(A) is m x k, op(B) is k x n, C is m x n; all row-major with no padding between rows. The
    /// <paramref name="epilogue"/>, when given, runs once per block of C after that block is complete;
    /// the blocks tile C.
    /// </remarks>
    public static void Multiply(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c, GemmEpilogue? epilogue = null,
        GemmSplit split = GemmSplit.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} values; op(A) is {m}x{k}.", nameof(a));
        if (b.Length < (long)k * n) throw new ArgumentException($"B holds {b.Length} values; op(B) is {k}x{n}.", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C holds {c.Length} values; C is {m}x{n}.", nameof(c));
        if (m == 0 || n == 0) return;

        GemmTrace.Observe(transposeA, transposeB, m, n, k);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var product = new Product(transposeA, transposeB, m, n, k, alpha, pa, pb, beta, pc, epilogue);
            var parts = (long)m * n * k < MinimumSplitVolume ? 1 : Parts;
            if (parts == 1)
            {
                product.Block(0, m, 0, n);
            }
            else if (RowsSplitBetter(split, m, n, parts))
            {
                ComputePool.Run(parts, i => product.Block(ComputePool.Boundary(m, Grain, parts, i), ComputePool.Boundary(m, Grain, parts, i + 1), 0, n));
            }
            else
            {
                ComputePool.Run(parts, i => product.Block(0, m, ComputePool.Boundary(n, Grain, parts, i), ComputePool.Boundary(n, Grain, parts, i + 1)));
            }
        }
    }

    // A column split that would leave a thread without a grain of columns (a 10-class output layer) is no split.
    private static bool RowsSplitBetter(GemmSplit split, int m, int n, int parts) =>
        (split == GemmSplit.Auto || n < parts * Grain) && (m / parts >= MinimumRowsPerPart || m >= n);

    /// <summary>Threads that run a product's blocks; the same as <see cref="ComputePool.Threads"/>. Results do not depend on it.</summary>
    public static int Threads
    {
        get => ComputePool.Threads;
        set => ComputePool.Threads = value;
    }

    private readonly struct Product(
        Transpose transposeA, Transpose transposeB, int m, int n, int k, float alpha, float* a, float* b, float beta, float* c, GemmEpilogue? epilogue)
    {
        /// <summary>Computes rows [rowStart, rowEnd) and columns [columnStart, columnEnd) of C, then runs the epilogue on them.</summary>
        public void Block(int rowStart, int rowEnd, int columnStart, int columnEnd)
        {
            if (rowEnd <= rowStart || columnEnd <= columnStart) return;
            var lda = transposeA == Transpose.No ? k : m;
            var ldb = transposeB == Transpose.No ? n : k;
            var aBlock = transposeA == Transpose.No ? a + ((long)rowStart * k) : a + rowStart;
            var bBlock = transposeB == Transpose.No ? b + columnStart : b + ((long)columnStart * k);
            OpenBlasLibrary.Instance.Sgemm(
                101, (int)transposeA, (int)transposeB, rowEnd - rowStart, columnEnd - columnStart, k,
                alpha, aBlock, Math.Max(1, lda), bBlock, Math.Max(1, ldb), beta, c + ((long)rowStart * n) + columnStart, n);
            epilogue?.Invoke(rowStart, rowEnd, columnStart, columnEnd);
        }
    }
}
