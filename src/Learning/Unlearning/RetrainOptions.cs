using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>Settings of <see cref="Retrain"/>.</summary>
public sealed record RetrainOptions
{
    /// <summary>How the fresh model is trained. Default: the base recipe, 5 epochs of Adam at lr 1e-3 in batches of 64.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Throws when a value is out of range.</summary>
    public RetrainOptions Validate()
    {
        Training.Validate();
        return this;
    }
}
