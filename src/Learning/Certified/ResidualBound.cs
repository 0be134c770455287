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

    // Covers the float rounding of the products the spectral bound is computed from.
    private const double RoundingMargin = 1.001;

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
    /// ΦᵀΦ from a positive vector v, the Collatz–Wielandt bound <c>λ_max ≤ max_j (ΦᵀΦ v)_j / v_j</c>, which
    /// holds for any positive v when ΦᵀΦ has no negative entry.
    /// </summary>
    public static double SpectralNorm(FeatureMatrix features, int iterations)
    {
        var dimension = features.Dimension;
        var vector = new float[dimension];
        Array.Fill(vector, 1f);
        var image = new float[dimension];
        var projected = new float[features.Rows];
        for (var k = 0; k < iterations; k++)
        {
            GramProduct(features, vector, projected, image);
            var norm = (float)ConjugateGradient.Norm(image);
            if (norm == 0) return 0;
            for (var j = 0; j < dimension; j++) vector[j] = image[j] / norm;
        }

        // Lift every coordinate above zero (a feature that is zero in every row leaves its coordinate at zero).
        var floor = 1e-3f * vector.Max();
        for (var j = 0; j < dimension; j++) vector[j] += floor;
        GramProduct(features, vector, projected, image);
        double eigenvalue = 0;
        for (var j = 0; j < dimension; j++) eigenvalue = Math.Max(eigenvalue, (double)image[j] / vector[j]);
        return Math.Sqrt(eigenvalue) * RoundingMargin;
    }

    private static void GramProduct(FeatureMatrix features, float[] vector, float[] projected, float[] image)
    {
        Gemm.Multiply(Transpose.No, Transpose.No, features.Rows, 1, features.Dimension, 1f, features.Values, vector, 0f, projected);
        Gemm.Multiply(Transpose.Yes, Transpose.No, features.Dimension, 1, features.Rows, 1f, features.Values, projected, 0f, image);
    }
}
