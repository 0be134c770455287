using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Unlearning;

/// <summary>The checks every unlearning method makes on its inputs before doing any work.</summary>
internal static class UnlearningInputs
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless the data fits the model, the forget and retain sets
    /// are non-empty, every index is a row of the data, and no row is in both sets.
    /// </summary>
    public static void Validate(Mlp model, Dataset data, int[] forget, int[] retain)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckFits(model, data, nameof(data));
        ValidateRecords(data, forget, retain);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless the forget and retain sets are non-empty, every index
    /// is a row of the data, and no row is in both sets.
    /// </summary>
    public static void ValidateRecords(Dataset data, int[] forget, int[] retain)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(forget);
        ArgumentNullException.ThrowIfNull(retain);
        if (forget.Length == 0) throw new ArgumentException("The forget set is empty: there is nothing to unlearn.", nameof(forget));
        if (retain.Length == 0) throw new ArgumentException("The retain set is empty.", nameof(retain));
        var inForget = new bool[data.Count];
        foreach (var row in forget)
        {
            if ((uint)row >= (uint)data.Count) throw new ArgumentException($"Forget index {row} is not a row of the data (0..{data.Count - 1}).", nameof(forget));
            inForget[row] = true;
        }

        foreach (var row in retain)
        {
            if ((uint)row >= (uint)data.Count) throw new ArgumentException($"Retain index {row} is not a row of the data (0..{data.Count - 1}).", nameof(retain));
            if (inForget[row]) throw new ArgumentException($"Row {row} is in both the forget and the retain set.", nameof(retain));
        }
    }

    private static void CheckFits(Mlp model, Dataset data, string what)
    {
        ArgumentNullException.ThrowIfNull(data, what);
        if (data.FeatureCount != model.InputSize || data.ClassCount != model.OutputSize)
        {
            throw new ArgumentException(
                $"The {what} ({data.FeatureCount} features, {data.ClassCount} classes) does not fit the model ({model.InputSize} inputs, {model.OutputSize} outputs).",
                what);
        }
    }
}
