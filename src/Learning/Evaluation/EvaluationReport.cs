namespace Lethe.Learning.Evaluation;

/// <summary>How a classifier did on a set of examples, overall, per class and per example.</summary>
public sealed record EvaluationReport(
    int Count,
    double Accuracy,
    double[] PerClassAccuracy,
    int[] PerClassCount,
    double MeanLoss,
    int[] Predictions,
    float[] Confidences,
    float[] Losses)
{
    /// <summary>Mean of the per-example max-softmax confidences.</summary>
    public double MeanConfidence => Confidences.Length == 0 ? double.NaN : Confidences.Average(c => (double)c);
}
