namespace Lethe.Learning.Fisher;

/// <summary>How to estimate a Fisher diagonal: which kind, over how many examples, in what batches.</summary>
public sealed record FisherOptions
{
    /// <summary>
    /// Which Fisher. Default <see cref="FisherKind.True"/>: on a well-trained model the empirical
    /// Fisher of training data is close to zero wherever the model is confidently right, which says
    /// little about how much a parameter matters; the true Fisher weighs every class the model
    /// still gives probability to.
    /// </summary>
    public FisherKind Kind { get; init; } = FisherKind.True;

    /// <summary>
    /// Largest number of examples averaged over; a larger set is sampled down, seeded. Default 2048:
    /// a diagonal mean over a few thousand examples is stable to a few percent on the parameters that
    /// matter, and costs well under a tenth of a second for the default MLP.
    /// </summary>
    public int MaxSamples { get; init; } = 2048;

    /// <summary>Examples per batch. Default 256: large enough that each layer's product is a well-shaped GEMM.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Throws when a value is out of range.</summary>
    public FisherOptions Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown Fisher kind.");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSamples, 1, nameof(MaxSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        return this;
    }
}
