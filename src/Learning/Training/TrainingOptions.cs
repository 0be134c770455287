namespace Lethe.Learning.Training;

/// <summary>How to train: epochs, batch size, optimiser and its step size.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the data. Default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Examples per step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary><c>adam</c> (default) or <c>sgd</c> (with momentum).</summary>
    public string Optimiser { get; init; } = "adam";

    /// <summary>Step size. Default 1e-3 (Adam's usual value).</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Momentum for SGD. Default 0.9.</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>Throws when a value is out of range.</summary>
    public TrainingOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        if (Optimiser is not ("adam" or "sgd"))
            throw new ArgumentException($"Unknown optimiser '{Optimiser}'; use adam or sgd.", nameof(Optimiser));
        return this;
    }

    /// <summary>A fresh optimiser of the configured kind for <paramref name="parameterCount"/> parameters.</summary>
    public Optimisers.IOptimiser CreateOptimiser(int parameterCount) => Optimiser == "sgd"
        ? new Optimisers.SgdMomentum(parameterCount, LearningRate, Momentum)
        : new Optimisers.Adam(parameterCount, LearningRate);
}
