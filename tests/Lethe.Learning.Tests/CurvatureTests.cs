using Lethe.Learning.Curvature;
using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Tests;

/// <summary>The Gauss-Newton products of the influence correction against a dense reference, and the solver against a direct solve.</summary>
public class CurvatureTests
{
    private const int Rows = 9;
    private static readonly int[] Sizes = [6, 5, 4, 3];
    private static readonly Normalisation Scaling = new(0.5f, 0.25f);

    [Fact]
    public void Gauss_newton_products_match_the_dense_matrix_built_from_the_jacobian()
    {
        var model = Mlp.Create(Sizes, seed: 4);
        var data = TinyDataset();
        var rows = data.AllIndices();
        var product = new GaussNewtonProduct(model, data, rows, chunkSize: 4); // three chunks, the last one short
        var parameters = model.Parameters.Length;
        var dense = DenseGaussNewton(model, data);
        var random = new Random(8);
        const float damping = 0.01f;

        for (var trial = 0; trial < 3; trial++)
        {
            var vector = Enumerable.Range(0, parameters).Select(_ => random.NextSingle() - 0.5f).ToArray();
            var result = new float[parameters];
            product.Multiply(vector, result, damping);
            double error = 0, norm = 0;
            for (var i = 0; i < parameters; i++)
            {
                double expected = damping * vector[i];
                for (var j = 0; j < parameters; j++) expected += dense[i, j] * vector[j];
                error += Math.Pow(expected - result[i], 2);
                norm += expected * expected;
            }

            Assert.True(Math.Sqrt(error / norm) < 1e-4, $"relative error {Math.Sqrt(error / norm):E2}");
        }
    }

    [Fact]
    public void Conjugate_gradient_solves_a_positive_definite_system_and_reports_its_residual()
    {
        const int n = 40;
        var random = new Random(2);
        var factor = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) factor[i, j] = random.NextDouble() - 0.5;
        }

        // A = FᵀF + I: symmetric positive definite, condition number in the hundreds.
        var a = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < n; k++) a[i, j] += factor[k, i] * factor[k, j];
            }

            a[i, i] += 1;
        }

        var rhs = Enumerable.Range(0, n).Select(_ => random.NextSingle()).ToArray();
        var result = ConjugateGradient.Solve((v, r) => Multiply(a, v, r), rhs, tolerance: 1e-6, maxIterations: 200);

        var check = new float[n];
        Multiply(a, result.Solution, check);
        var residual = Math.Sqrt(check.Select((x, i) => Math.Pow(x - rhs[i], 2)).Sum());
        Assert.InRange(result.Iterations, 1, 200);
        Assert.True(result.RelativeResidual < 1e-5, $"relative residual {result.RelativeResidual:E2}");
        Assert.Equal(residual, result.ResidualNorm, 5);

        var capped = ConjugateGradient.Solve((v, r) => Multiply(a, v, r), rhs, tolerance: 1e-6, maxIterations: 3);
        Assert.Equal(3, capped.Iterations);
        Assert.True(capped.RelativeResidual > result.RelativeResidual);
    }

    private static void Multiply(double[,] a, float[] v, float[] result)
    {
        for (var i = 0; i < v.Length; i++)
        {
            double sum = 0;
            for (var j = 0; j < v.Length; j++) sum += a[i, j] * v[j];
            result[i] = (float)sum;
        }
    }

    /// <summary>G = (1/N) Σ_n J_nᵀ (diag p − p pᵀ) J_n, with J_n by central differences of a double-precision forward pass.</summary>
    private static double[,] DenseGaussNewton(Mlp model, Dataset data)
    {
        var parameters = model.Parameters.Select(x => (double)x).ToArray();
        var count = parameters.Length;
        var classes = Sizes[^1];
        var gauss = new double[count, count];
        for (var n = 0; n < data.Count; n++)
        {
            var input = data.Row(n).ToArray().Select(b => ((b / 255.0) - Scaling.Mean) / Scaling.Std).ToArray();
            var logits = Forward(parameters, input);
            var p = Softmax(logits);
            var jacobian = new double[classes, count];
            for (var j = 0; j < count; j++)
            {
                var saved = parameters[j];
                parameters[j] = saved + 1e-6;
                var plus = Forward(parameters, input);
                parameters[j] = saved - 1e-6;
                var minus = Forward(parameters, input);
                parameters[j] = saved;
                for (var c = 0; c < classes; c++) jacobian[c, j] = (plus[c] - minus[c]) / 2e-6;
            }

            for (var i = 0; i < count; i++)
            {
                for (var j = 0; j < count; j++)
                {
                    double sum = 0;
                    for (var c = 0; c < classes; c++)
                    {
                        for (var d = 0; d < classes; d++) sum += jacobian[c, i] * (((c == d ? p[c] : 0) - (p[c] * p[d])) * jacobian[d, j]);
                    }

                    gauss[i, j] += sum / data.Count;
                }
            }
        }

        return gauss;
    }

    private static double[] Forward(double[] parameters, double[] input)
    {
        var activation = input;
        var offset = 0;
        for (var layer = 0; layer < Sizes.Length - 1; layer++)
        {
            int inputs = Sizes[layer], outputs = Sizes[layer + 1];
            var output = new double[outputs];
            for (var o = 0; o < outputs; o++)
            {
                var z = parameters[offset + (outputs * inputs) + o];
                for (var i = 0; i < inputs; i++) z += parameters[offset + (o * inputs) + i] * activation[i];
                output[o] = layer < Sizes.Length - 2 ? Math.Max(z, 0) : z;
            }

            offset += (outputs * inputs) + outputs;
            activation = output;
        }

        return activation;
    }

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(z => Math.Exp(z - max)).ToArray();
        return e.Select(x => x / e.Sum()).ToArray();
    }

    private static Dataset TinyDataset()
    {
        var random = new Random(13);
        var pixels = new byte[Rows * Sizes[0]];
        random.NextBytes(pixels);
        return new Dataset(pixels, Enumerable.Range(0, Rows).Select(i => i % Sizes[^1]).ToArray(), Sizes[0], Sizes[^1], Scaling);
    }
}
