namespace Lethe.Learning.Fisher;

/// <summary>Which labels the per-example gradients of a Fisher diagonal are taken with.</summary>
public enum FisherKind
{
    /// <summary>
    /// The true Fisher: the exact expectation over the model's own predictive distribution,
    /// <c>Σ_c p_c (∂ log p_c / ∂θ)²</c> per example.
    /// </summary>
    True,

    /// <summary>The empirical Fisher: the squared gradient of the loss with the observed label, per example.</summary>
    Empirical,

    /// <summary>
    /// The true Fisher for every layer but the output layer, whose diagonal is the empirical one. On
    /// retain data the true Fisher of the output row of a class the retain set lacks (about p_k h²)
    /// only measures how much the retain set needs that class kept unlikely, while the empirical one
    /// (about p_k² h²) is near zero; in the feature layers the true Fisher, an expectation over every
    /// class, still sees parameters the confidently fitted examples rely on, where the empirical one
    /// fades with the residual.
    /// </summary>
    TrueHiddenEmpiricalOutput,
}
