using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Sharding;

/// <summary>A classifier that aggregates several classifiers' predictions as an <see cref="EnsembleAggregation"/> says.</summary>
public sealed class EnsembleClassifier : IClassifier
{
    private readonly IClassifier[] members;

    /// <summary>An ensemble of <paramref name="members"/> (at least one, all with the same number of classes).</summary>
    public EnsembleClassifier(IEnumerable<IClassifier> members, EnsembleAggregation aggregation = EnsembleAggregation.MeanSoftmax)
    {
        ArgumentNullException.ThrowIfNull(members);
        this.members = members.ToArray();
        if (this.members.Length == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        if (this.members.Any(m => m.ClassCount != this.members[0].ClassCount))
            throw new ArgumentException("Every member of an ensemble must predict the same classes.", nameof(members));
        if (!Enum.IsDefined(aggregation)) throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown aggregation.");
        Aggregation = aggregation;
    }

    /// <summary>The members, in the order they were given.</summary>
    public IReadOnlyList<IClassifier> Members => members;

    /// <summary>How predictions are combined.</summary>
    public EnsembleAggregation Aggregation { get; }

    /// <inheritdoc />
    public int ClassCount => members[0].ClassCount;

    /// <inheritdoc />
    /// <remarks>
    /// Mean softmax: <c>p = (1/M) Σ_m p_m</c>. Majority vote: <c>p_c = (1/M) #{m : argmax p_m = c}</c>.
    /// Product of experts: <c>p = softmax((1/M) Σ_m log p_m)</c>.
    /// </remarks>
    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities)
    {
        var length = indices.Length * ClassCount;
        if (probabilities.Length < length) throw new ArgumentException("Probability buffer too small.", nameof(probabilities));
        var predictions = new float[members.Length][];
        for (var m = 0; m < members.Length; m++)
        {
            predictions[m] = new float[length];
            members[m].Probabilities(data, indices, predictions[m]);
        }

        EnsembleCombination.Combine(Aggregation, predictions, ClassCount, probabilities[..length]);
    }
}
