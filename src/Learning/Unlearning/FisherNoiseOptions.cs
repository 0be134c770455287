using Lethe.Learning.Fisher;

namespace Lethe.Learning.Unlearning;

/// <summary>Settings of <see cref="FisherNoise"/>.</summary>
public sealed record FisherNoiseOptions
{
    /// <summary>
    /// How the retain-set Fisher diagonal is estimated. Default: as <see cref="FisherScrubOptions.Fisher"/>,
    /// over up to 2048 retain records, true in the feature layers and empirical in the output layer, so
    /// the noise is large on exactly the parameters the scrub treats as free.
    /// </summary>
    public FisherOptions Fisher { get; init; } = new() { Kind = FisherKind.TrueHiddenEmpiricalOutput };

    /// <summary>
    /// Noise scale α: parameter i gets variance α / (F_ii + ε) before clamping. Default 1e-7: on MNIST
    /// with the default MLP it costs about half a point of test accuracy. The noise is not aimed at the
    /// forget set, so more of it forgets only by wrecking the model: at 1e-6 (clamp 0.3) the forgotten
    /// digit fell to 0% and the other digits to 35%.
    /// </summary>
    public float NoiseScale { get; init; } = 1e-7f;

    /// <summary>ε in the variance α / (F_ii + ε), which bounds the noise of parameters with no Fisher. Default 1e-6, as the scrub's damping.</summary>
    public float Epsilon { get; init; } = 1e-6f;

    /// <summary>
    /// Largest standard deviation of any parameter's noise. Default 0.1: the parameters the Fisher calls
    /// free (their unclamped deviation would be sqrt(α/ε) ≈ 0.32) get noise on the scale of the default
    /// MLP's initial weights (±1/sqrt(fan-in), 0.036 to 0.088), not several times it.
    /// </summary>
    public float MaxStandardDeviation { get; init; } = 0.1f;

    /// <summary>Throws when a value is out of range.</summary>
    public FisherNoiseOptions Validate()
    {
        Fisher.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NoiseScale, nameof(NoiseScale));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epsilon, nameof(Epsilon));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxStandardDeviation, nameof(MaxStandardDeviation));
        return this;
    }
}
