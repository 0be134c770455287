using System.Numerics.Tensors;

namespace Lethe.Learning.Sharding;

/// <summary>
/// Combines ensemble members' class probabilities as an <see cref="EnsembleAggregation"/> says: the one
/// mechanism an in-process ensemble and a cluster's coordinator both aggregate shards with.
/// </summary>
public static class EnsembleCombination
{
    /// <summary>
    /// Writes into <paramref name="output"/> the combination of <paramref name="members"/>, each holding
    /// rows of <paramref name="classes"/> probabilities for the same rows.
    /// </summary>
    /// <exception cref="ArgumentException">No members, members of different lengths, or an output of another length.</exception>
    public static void Combine(EnsembleAggregation aggregation, IReadOnlyList<float[]> members, int classes, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (!Enum.IsDefined(aggregation)) throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown aggregation.");
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        var length = output.Length;
        if (members.Any(m => m.Length != length) || length % classes != 0)
            throw new ArgumentException("Every member and the output must hold the same whole rows of class probabilities.", nameof(members));

        output.Clear();
        switch (aggregation)
        {
            case EnsembleAggregation.MeanSoftmax:
                foreach (var member in members) TensorPrimitives.Add(output, member, output);
                TensorPrimitives.Divide(output, members.Count, output);
                break;
            case EnsembleAggregation.MajorityVote:
                foreach (var member in members)
                    for (var row = 0; row < output.Length / classes; row++)
                        output[(row * classes) + TensorPrimitives.IndexOfMax(member.AsSpan(row * classes, classes))] += 1;
                TensorPrimitives.Divide(output, members.Count, output);
                break;
            default:
                ProductOfExperts(members, classes, output);
                break;
        }
    }

    private static void ProductOfExperts(IReadOnlyList<float[]> members, int classes, Span<float> output)
    {
        // A member's zero (a float underflow) is floored so that one member cannot make a class impossible outright.
        var logs = new float[output.Length];
        foreach (var member in members)
        {
            TensorPrimitives.Max(member, float.Epsilon, logs);
            TensorPrimitives.Log(logs, logs);
            TensorPrimitives.Add(output, logs, output);
        }

        TensorPrimitives.Divide(output, members.Count, output);
        for (var start = 0; start < output.Length; start += classes)
        {
            var row = output.Slice(start, classes);
            TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
        }
    }
}
