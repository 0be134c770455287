namespace Lethe.Learning.Unlearning;

/// <summary>Settings of <see cref="Influence"/>.</summary>
public sealed record InfluenceOptions
{
    /// <summary>
    /// λ, the strength of the L2 prior (λ/2)‖θ‖² the live model is taken to minimise with its mean training
    /// loss, and the damping of that objective's curvature; the retrained model's prior is the same per
    /// record, λN/n over the n retain records. Default 0.03. The curvature of a well-fitted network is nearly
    /// zero in most directions, and λ sets how far the correction may move in them: a smaller λ forgets more
    /// and keeps less (the README's Unlearning methods section has the measurements).
    /// </summary>
    public float Damping { get; init; } = 0.03f;

    /// <summary>
    /// Retain records the curvature is averaged over, sampled with the seed. Default 4096: every product
    /// with G is then a handful of well-shaped GEMMs over the whole sample.
    /// </summary>
    public int CurvatureSamples { get; init; } = 4096;

    /// <summary>Rows per forward chunk of the curvature sample. Default 2048.</summary>
    public int ChunkSize { get; init; } = 2048;

    /// <summary>Conjugate gradient stops once ‖residual‖ ≤ this × ‖g / n‖. Default 1e-3.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Most conjugate-gradient iterations (one product with G each). Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Forget records per batch when summing their gradients. Default 1024.</summary>
    public int GradientBatchSize { get; init; } = 1024;

    /// <summary>Throws when a value is out of range.</summary>
    public InfluenceOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Damping, nameof(Damping));
        ArgumentOutOfRangeException.ThrowIfLessThan(CurvatureSamples, 1, nameof(CurvatureSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkSize, 1, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Tolerance, nameof(Tolerance));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1, nameof(MaxIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(GradientBatchSize, 1, nameof(GradientBatchSize));
        return this;
    }
}
