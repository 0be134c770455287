using Lethe.Learning.Blas;
using Lethe.Learning.Curvature;

namespace Lethe.Learning.Certified;

/// <summary>
/// Bounds on the gradient that a Newton step leaves on the retained objective (Guo et al., Theorem 1 and
/// its data-dependent form), for softmax cross-entropy.
/// </summary>
/// <remarks>
/// After the step V = H⁻¹Δ, the retained gradient is the solver's residual plus
/// <c>Σ_i e_i φ_iᵀ</c>, <c>e_i = ∫₀¹ (S(z_i + t r_i) − S(z_i)) r_i dt</c>, with S(z) = diag p − p pᵀ the logit Hessian
/// and r_i = V φ_i. S is γ-Lipschitz in the operator norm with γ = sup over unit u of the third
/// central moment of u under p; u's values span at most √2, and a variable of range ρ has
/// |μ₃| ≤ max|X − μ| · Var ≤ 4ρ³/27, so γ ≤ 8√2/27. Hence ‖e_i‖ ≤ γ‖r_i‖²/2 and
/// <c>‖Σ_i e_i φ_iᵀ‖ ≤ ‖Φ‖₂ ‖E‖_F ≤ (γ/2) ‖Φ‖₂ (Σ_i ‖r_i‖⁴)^½</c>.
/// </remarks>
internal static class ResidualBound
{
    /// <summary>γ: a Lipschitz constant of softmax cross-entropy's logit Hessian, 8√2/27.</summary>
    public static readonly double HessianLipschitz = 8 * Math.Sqrt(2) / 27;

    // Float's unit roundoff doubled (a product's rounding plus its addition's); a sum of n non-negative
    // float terms is within (n − 1) of it, relatively, of the exact sum.
    private const double Roundoff = 1.0 / (1 << 23);

    /// <summary><c>(γ/2) ‖Φ‖₂ (Σ_i ‖r_i‖⁴)^½</c> for the rows' directional logits r (rows x classes).</summary>
    public static double TaylorRemainder(double spectralNorm, ReadOnlySpan<float> logits, int classes)
    {
        double sum = 0;
        for (var i = 0; i < logits.Length; i += classes)
        {
            var square = ConjugateGradient.Dot(logits.Slice(i, classes), logits.Slice(i, classes));
            sum += square * square;
        }

        return HessianLipschitz / 2 * spectralNorm * Math.Sqrt(sum);
    }

    /// <summary>
    /// An upper bound on ‖Φ‖₂ for a feature matrix with no negative entry: after power iterations on
    /// the Gram matrix ΦᵀΦ (one GEMM, features x features) from a positive vector v, the Collatz–Wielandt
    /// bound <c>λ_max ≤ max_j (ΦᵀΦ v)_j / v_j</c>, which holds for any positive v when ΦᵀΦ has no negative entry.
    /// </summary>
    public static double SpectralNorm(FeatureMatrix features, int iterations)
    {
        var dimension = features.Dimension;
        var gram = new float[dimension * dimension];
        Gemm.Multiply(Transpose.Yes, Transpose.No, dimension, dimension, features.Rows, 1f, features.Values, features.Values, 0f, gram);
        var vector = new float[dimension];
        Array.Fill(vector, 1f);
        var image = new float[dimension];
        for (var k = 0; k < iterations; k++)
        {
            Multiply(gram, vector, image);
            var norm = (float)ConjugateGradient.Norm(image);
            if (norm == 0) return 0;
            for (var j = 0; j < dimension; j++) vector[j] = image[j] / norm;
        }

        // Lift every coordinate above zero (a feature that is zero in every row leaves its coordinate at zero).
        var floor = 1e-3f * vector.Max();
        for (var j = 0; j < dimension; j++) vector[j] += floor;
        Multiply(gram, vector, image);
        double eigenvalue = 0;
        for (var j = 0; j < dimension; j++) eigenvalue = Math.Max(eigenvalue, (double)image[j] / vector[j]);
        // Every Gram entry is a float sum of as many non-negative terms as there are rows.
        return Math.Sqrt(eigenvalue * (1 + (features.Rows * Roundoff)));
    }

    private static void Multiply(float[] gram, float[] vector, float[] image)
    {
        var dimension = vector.Length;
        for (var j = 0; j < dimension; j++) image[j] = (float)ConjugateGradient.Dot(gram.AsSpan(j * dimension, dimension), vector);
    }
}
