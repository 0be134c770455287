using Lethe.Learning.Certified;
using Lethe.Learning.Data;

namespace Lethe.Learning.Tests;

/// <summary>The two constants the certified bound rests on, checked numerically.</summary>
public class ResidualBoundTests
{
    [Fact]
    public void The_softmax_hessian_changes_by_at_most_gamma_times_the_logit_change()
    {
        var random = new Random(5);
        double worst = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            var classes = 2 + random.Next(9);
            var z = Enumerable.Range(0, classes).Select(_ => (random.NextDouble() - 0.5) * 8).ToArray();
            var u = Enumerable.Range(0, classes).Select(_ => random.NextDouble() - 0.5).ToArray();
            var norm = Math.Sqrt(u.Sum(x => x * x));
            const double step = 1e-4;
            var shifted = z.Select((x, i) => x + (step * u[i] / norm)).ToArray();
            worst = Math.Max(worst, OperatorNorm(Subtract(Hessian(shifted), Hessian(z))) / step);
        }

        Assert.True(worst <= ResidualBound.HessianLipschitz, $"worst ratio {worst:F4}, γ {ResidualBound.HessianLipschitz:F4}");
        Assert.True(worst > ResidualBound.HessianLipschitz / 2, $"worst ratio {worst:F4}: γ should not be loose by more than 2x");
    }

    [Fact]
    public void The_spectral_norm_bound_is_above_the_norm_and_close_to_it()
    {
        var random = new Random(6);
        var pixels = new byte[300 * 20];
        random.NextBytes(pixels);
        for (var i = 0; i < pixels.Length; i += 7) pixels[i] = 0;
        var data = new Dataset(pixels, new int[300], 20, 2, Normalisation.UnitScale);
        var features = FeatureMatrix.Create(new FeatureMap(20), data, data.AllIndices());

        var bound = ResidualBound.SpectralNorm(features, iterations: 30);
        var exact = ExactSpectralNorm(features);

        Assert.True(bound >= exact, $"bound {bound:F5} below ‖Φ‖₂ {exact:F5}");
        Assert.True(bound <= exact * 1.01, $"bound {bound:F5} loose against ‖Φ‖₂ {exact:F5}");
    }

    private static double[,] Hessian(double[] z)
    {
        var max = z.Max();
        var e = z.Select(x => Math.Exp(x - max)).ToArray();
        var p = e.Select(x => x / e.Sum()).ToArray();
        var h = new double[z.Length, z.Length];
        for (var i = 0; i < z.Length; i++)
        {
            for (var j = 0; j < z.Length; j++) h[i, j] = (i == j ? p[i] : 0) - (p[i] * p[j]);
        }

        return h;
    }

    private static double[,] Subtract(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var c = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) c[i, j] = a[i, j] - b[i, j];
        }

        return c;
    }

    /// <summary>The largest |eigenvalue| of a symmetric matrix: power iteration on its square.</summary>
    private static double OperatorNorm(double[,] a)
    {
        var n = a.GetLength(0);
        var v = Enumerable.Range(0, n).Select(i => 1.0 + (0.1 * i)).ToArray();
        for (var k = 0; k < 500; k++)
        {
            var w = Multiply(a, Multiply(a, v));
            var norm = Math.Sqrt(w.Sum(x => x * x));
            if (norm == 0) return 0;
            v = w.Select(x => x / norm).ToArray();
        }

        var av = Multiply(a, v);
        return Math.Sqrt(av.Sum(x => x * x));
    }

    private static double[] Multiply(double[,] a, double[] v)
    {
        var n = v.Length;
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) result[i] += a[i, j] * v[j];
        }

        return result;
    }

    private static double ExactSpectralNorm(FeatureMatrix features)
    {
        var d = features.Dimension;
        var gram = new double[d, d];
        for (var r = 0; r < features.Rows; r++)
        {
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++) gram[i, j] += (double)features.Values[(r * d) + i] * features.Values[(r * d) + j];
            }
        }

        return Math.Sqrt(OperatorNorm(gram));
    }
}
