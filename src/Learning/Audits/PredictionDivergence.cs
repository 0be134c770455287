using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Audits;

/// <summary>How far one classifier's predictions are from another's.</summary>
public static class PredictionDivergence
{
    // Keeps log(p / q) finite for a probability that underflowed to zero; far below any softmax output Lethe produces.
    private const double Floor = 1e-30;

    /// <summary>
    /// The mean over the rows <paramref name="indices"/> (all rows when null) of KL(p_reference ‖ p_model):
    /// the information lost when <paramref name="model"/>'s predictions stand in for <paramref name="reference"/>'s.
    /// </summary>
    public static double MeanKl(IClassifier reference, IClassifier model, Dataset data, int[]? indices = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(model);
        if (reference.ClassCount != model.ClassCount)
            throw new ArgumentException($"The classifiers predict {reference.ClassCount} and {model.ClassCount} classes.", nameof(model));
        indices ??= data.AllIndices();
        if (indices.Length == 0) return double.NaN;
        var classes = reference.ClassCount;
        var p = new float[indices.Length * classes];
        var q = new float[indices.Length * classes];
        reference.Probabilities(data, indices, p);
        model.Probabilities(data, indices, q);
        double total = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] > 0) total += p[i] * Math.Log(p[i] / Math.Max(q[i], Floor));
        }

        return total / indices.Length;
    }
}
