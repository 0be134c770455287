using Lethe.Learning.Data;

namespace Lethe.Learning.Models;

/// <summary>Anything that assigns class probabilities to examples: one model or an ensemble.</summary>
public interface IClassifier
{
    /// <summary>Number of classes.</summary>
    int ClassCount { get; }

    /// <summary>Writes the class probabilities of each row in <paramref name="indices"/> (rows x classes).</summary>
    void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities);
}
