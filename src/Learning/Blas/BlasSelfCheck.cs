namespace Lethe.Learning.Blas;

/// <summary>One single-precision product <c>C = alpha op(A) op(B) + beta C</c> on row-major matrices, as a kernel computes it.</summary>
public delegate void SingleProduct(Transpose transposeA, Transpose transposeB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c);

/// <summary>
/// A few small products of odd shapes (every transpose, edge tiles, beta ≠ 0) checked against a
/// plain double-precision loop: a kernel that fails them computes wrong results and must not be used.
/// </summary>
public static class BlasSelfCheck
{
    private static readonly (Transpose A, Transpose B, int M, int N, int K, float Alpha, float Beta)[] Cases =
    [
        (Transpose.No, Transpose.No, 1, 1, 1, 1f, 0f),
        (Transpose.No, Transpose.Yes, 3, 5, 7, 1f, 0f),
        (Transpose.Yes, Transpose.No, 17, 33, 9, 0.5f, 2f),
        (Transpose.Yes, Transpose.Yes, 31, 19, 65, 1f, 0f),
        (Transpose.No, Transpose.Yes, 67, 10, 129, 1f, 0f),
        (Transpose.Yes, Transpose.No, 129, 37, 23, 1f, 1f),
        (Transpose.No, Transpose.No, 45, 257, 100, -1f, 0.5f),
    ];

    /// <summary>Whether <paramref name="product"/> computes every case to within float rounding of the reference.</summary>
    /// <param name="product">The kernel under test.</param>
    /// <param name="failure">Which case failed, and how far off it was; null when all pass.</param>
    public static bool Passes(SingleProduct product, out string? failure)
    {
        foreach (var (ta, tb, m, n, k, alpha, beta) in Cases)
        {
            var a = Fill(m * k, 1);
            var b = Fill(k * n, 2);
            var c = Fill(m * n, 3);
            var expected = Reference(ta, tb, m, n, k, alpha, a, b, beta, c, out var scale);
            product(ta, tb, m, n, k, alpha, a, b, beta, c);
            for (var i = 0; i < expected.Length; i++)
            {
                // A float product of k terms is off by at most about k·ε times the sum of |terms|.
                var tolerance = ((k + 2) * 1.2e-7 * scale[i]) + 1e-6;
                if (!(Math.Abs(c[i] - expected[i]) <= tolerance))
                {
                    failure = $"{m}x{n}x{k} product (op(A) {ta}, op(B) {tb}): element {i} is {c[i]}, expected {expected[i]:G9}";
                    return false;
                }
            }
        }

        failure = null;
        return true;
    }

    private static double[] Reference(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c, out double[] scale)
    {
        var result = new double[m * n];
        scale = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var p = 0; p < k; p++)
                {
                    var term = (double)(ta == Transpose.No ? a[(i * k) + p] : a[(p * m) + i]) * (tb == Transpose.No ? b[(p * n) + j] : b[(j * k) + p]);
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                result[(i * n) + j] = (alpha * sum) + (beta * c[(i * n) + j]);
                scale[(i * n) + j] = (Math.Abs(alpha) * magnitude) + Math.Abs(beta * c[(i * n) + j]);
            }
        }

        return result;
    }

    // Values in [-1, 1) from a fixed arithmetic pattern: the check needs no generator.
    private static float[] Fill(int length, int stream)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = ((((i + 1) * 7919 * stream) + (stream * 104729)) % 2000 / 1000f) - 1f;
        return values;
    }
}
