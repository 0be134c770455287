namespace Lethe.Learning.Unlearning;

/// <summary>
/// Settings of <see cref="Scrub"/>. The temperature, the loss weights, the batch sizes, the step size and
/// the schedule's shape are those of Kurmanji et al.'s code; the retain sample per epoch and the
/// forget-KL ceiling are Lethe's, set on MNIST with the default MLP. With these defaults, forgetting
/// every zero of MNIST took the test zeros to 0.0% and kept 98.2% on the other digits, in 0.7 to 4 s on
/// two shared cores.
/// </summary>
public sealed record ScrubOptions
{
    /// <summary>Epochs after the first min pass; each is a max pass (while max epochs remain) then a min pass. Default 3.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Epochs that begin with a max pass over the forget set (the paper's "msteps"). Default 2.</summary>
    public int MaxEpochs { get; init; } = 2;

    /// <summary>
    /// Step size of Adam, for both passes. Default 5e-4, the paper's. Adam rather than SGD: from a student
    /// equal to its teacher the max pass's gradient starts near zero and grows with the gap it opens, so
    /// with SGD and momentum the outcome jumped from no change at lr 3e-5 to overflow at 1e-4.
    /// </summary>
    public float LearningRate { get; init; } = 5e-4f;

    /// <summary>Softmax temperature T of the KL terms (scaled by T², as in distillation). Default 4, the paper's.</summary>
    public float Temperature { get; init; } = 4f;

    /// <summary>Weight α of T² KL(teacher ‖ student) in a min step. Default 0.001, the paper's.</summary>
    public float RetainKlWeight { get; init; } = 0.001f;

    /// <summary>Weight γ of the cross-entropy in a min step. Default 0.99, the paper's.</summary>
    public float RetainCeWeight { get; init; } = 0.99f;

    /// <summary>Forget records per max step. Default 32, the paper's.</summary>
    public int ForgetBatchSize { get; init; } = 32;

    /// <summary>Retain records per min step. Default 128, the paper's.</summary>
    public int RetainBatchSize { get; init; } = 128;

    /// <summary>
    /// Retain records a min pass sees, sampled afresh each pass with the seed; null for the whole retain
    /// set, as the paper. Default 8192, as neggrad-ft's fine-tuning: 64 min steps a pass.
    /// </summary>
    public int? RetainSamplesPerEpoch { get; init; } = 8192;

    /// <summary>
    /// A max pass stops at the first forget batch whose mean T² KL(teacher ‖ student) is above this (that
    /// batch takes no step); null for no ceiling. Default 10. The ascent has no bound of its own: without
    /// one, a max pass over MNIST's zeros drove the KL past 10⁴ and took every class to chance, beyond what
    /// the min passes could repair. At a ceiling of ln 10 the test zeros kept 1.4%; at 10, 0.0%.
    /// </summary>
    public double? ForgetKlCeiling { get; init; } = 10;

    /// <summary>Throws when a value is out of range.</summary>
    public ScrubOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxEpochs, nameof(MaxEpochs));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxEpochs, Epochs, nameof(MaxEpochs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Temperature, nameof(Temperature));
        ArgumentOutOfRangeException.ThrowIfNegative(RetainKlWeight, nameof(RetainKlWeight));
        ArgumentOutOfRangeException.ThrowIfNegative(RetainCeWeight, nameof(RetainCeWeight));
        ArgumentOutOfRangeException.ThrowIfLessThan(ForgetBatchSize, 1, nameof(ForgetBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetainBatchSize, 1, nameof(RetainBatchSize));
        if (RetainSamplesPerEpoch is { } samples) ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1, nameof(RetainSamplesPerEpoch));
        if (ForgetKlCeiling is { } ceiling) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ceiling, nameof(ForgetKlCeiling));
        return this;
    }
}
