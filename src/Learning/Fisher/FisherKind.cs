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
}
