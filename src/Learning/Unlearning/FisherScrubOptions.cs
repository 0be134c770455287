using Lethe.Learning.Fisher;

namespace Lethe.Learning.Unlearning;

/// <summary>Settings of <see cref="FisherScrub"/>. The defaults were tuned on MNIST with the default MLP.</summary>
public sealed record FisherScrubOptions
{
    /// <summary>
    /// How the retain-set Fisher diagonal is estimated. Default: over up to 2048 retain records, the
    /// true Fisher in the feature layers and the empirical one in the output layer
    /// (<see cref="FisherKind.TrueHiddenEmpiricalOutput"/>). Forgetting MNIST's zeros over eight seeds,
    /// that kept 97.5 to 98.0% on the other digits; the empirical Fisher everywhere left the feature
    /// layers too free (96.9 to 97.9%), the true one everywhere held back the zeros' output row (96.8%).
    /// </summary>
    public FisherOptions Fisher { get; init; } = new() { Kind = FisherKind.TrueHiddenEmpiricalOutput };

    /// <summary>
    /// Damping α in the step scale 1/(F + α). Default 1e-6: below the median retain Fisher of every
    /// layer of the default MLP, so the scale tells the parameters the retain set relies on from the rest.
    /// </summary>
    public float Damping { get; init; } = 1e-6f;

    /// <summary>
    /// Step size on the Fisher-scaled gradient. Default 2e-7: a parameter the retain set does not use
    /// moves by lr/α = 0.2 times its gradient per step; one the retain set relies on, 10 to 1000 times less.
    /// </summary>
    public float LearningRate { get; init; } = 2e-7f;

    /// <summary>
    /// Largest change of one parameter in one step. Default 0.1: a safety bound for parameters whose
    /// Fisher is near zero. Tighter clamps (1e-2, 1e-3) held back the forgotten class's output row more
    /// than the feature layers, so the scrub took more feature-layer steps and lost 0.5 to 1 point more
    /// on the other classes.
    /// </summary>
    public float MaxParameterStep { get; init; } = 0.1f;

    /// <summary>Forget records per step. Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// Most passes over the forget records being scrubbed. Default 50, so for any forget set of more
    /// than 256 records the step cap binds first.
    /// </summary>
    public int Epochs { get; init; } = 50;

    /// <summary>
    /// Most steps in all. Default 100: enough to take a whole digit class of MNIST below 1% accuracy,
    /// and about 0.15 s for the default MLP on two cores.
    /// </summary>
    public int MaxSteps { get; init; } = 100;

    /// <summary>
    /// A class is scrubbed when the retain set keeps at most this share of its records (forget plus
    /// retain). Default 0: only a class the retain set holds none of. Even a sliver teaches a class: a
    /// model retrained on MNIST with 11 of its 5923 zeros (0.2%) still recognised 74% of the test zeros,
    /// so scrubbing such a class to chance would forget more than a retrain does.
    /// </summary>
    public double MaxRetainedShare { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    public FisherScrubOptions Validate()
    {
        Fisher.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Damping, nameof(Damping));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxParameterStep, nameof(MaxParameterStep));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSteps, 1, nameof(MaxSteps));
        if (MaxRetainedShare is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MaxRetainedShare), MaxRetainedShare, "The share must be in [0, 1).");
        return this;
    }
}
