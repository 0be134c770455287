using System.Numerics.Tensors;

namespace Lethe.Learning.Curvature;

/// <summary>A product <c>result = A v</c> with a symmetric positive-definite A that is never formed.</summary>
internal delegate void MatrixVectorProduct(float[] vector, float[] result);

/// <summary>
/// Solves <c>A x = b</c> by conjugate gradient, given only products with A. Every step is a fixed
/// sequence of products and reductions, so the same A and b give the same x, bit for bit.
/// </summary>
internal static class ConjugateGradient
{
    /// <summary>
    /// Runs from x = 0 until the residual falls to <paramref name="tolerance"/> times ‖b‖ or
    /// <paramref name="maxIterations"/> products have been taken; then measures the residual b − A x of
    /// the returned x with one more product (the recursive residual drifts from it in float arithmetic).
    /// </summary>
    public static ConjugateGradientResult Solve(
        MatrixVectorProduct multiply, ReadOnlySpan<float> rhs, double tolerance, int maxIterations, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tolerance);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var length = rhs.Length;
        var x = new float[length];
        var residual = rhs.ToArray();
        var direction = rhs.ToArray();
        var product = new float[length];
        var rhsNorm = Norm(rhs);
        if (rhsNorm == 0) return new ConjugateGradientResult(x, 0, 0, 0);

        var residualSquare = Dot(residual, residual);
        var iterations = 0;
        while (iterations < maxIterations && Math.Sqrt(residualSquare) > tolerance * rhsNorm)
        {
            cancellationToken.ThrowIfCancellationRequested();
            multiply(direction, product);
            iterations++;
            var curvature = Dot(direction, product);
            if (curvature <= 0) break; // A is not positive definite along this direction (rounding); stop with what we have.
            var step = (float)(residualSquare / curvature);
            TensorPrimitives.MultiplyAdd(direction, step, x, x);
            TensorPrimitives.MultiplyAdd(product, -step, residual, residual);
            var next = Dot(residual, residual);
            var beta = (float)(next / residualSquare);
            residualSquare = next;
            TensorPrimitives.MultiplyAdd(direction, beta, residual, direction);
        }

        multiply(x, product);
        TensorPrimitives.Subtract(rhs, product, residual);
        var residualNorm = Norm(residual);
        return new ConjugateGradientResult(x, iterations, residualNorm / rhsNorm, residualNorm);
    }

    /// <summary>Σ a_i b_i accumulated in double, so long vectors keep their precision.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    /// <summary>The Euclidean norm, accumulated in double.</summary>
    public static double Norm(ReadOnlySpan<float> a) => Math.Sqrt(Dot(a, a));
}

/// <summary>The solution x of <c>A x = b</c>, the products it took, and its measured residual ‖b − A x‖ (absolute and over ‖b‖).</summary>
internal sealed record ConjugateGradientResult(float[] Solution, int Iterations, double RelativeResidual, double ResidualNorm);
