namespace Lethe.Silo.Bench.Paper;

/// <summary>One exact deletion the bench timed, beside what the cost model predicted for it.</summary>
internal sealed record PredictionCheck(string Case, string Path, double PredictedSeconds, double MeasuredSeconds)
{
    /// <summary>Predicted over measured.</summary>
    public double Ratio => PredictedSeconds / MeasuredSeconds;
}

/// <summary>
/// How close the cost model's predictions came to the measured seconds over the bench's exact deletions.
/// Deletions predicted to train nothing (every affected shard emptied and dropped) have no relative
/// error and are only counted.
/// </summary>
internal sealed record CostModelAccuracy(
    int Cases, int TrainingNothing, int Within30Percent, double MaxRelativeError, double MedianRatio, IReadOnlyList<PredictionCheck> Checks)
{
    public static CostModelAccuracy From(IReadOnlyList<PredictionCheck> checks)
    {
        var judged = checks.Where(c => c.PredictedSeconds > 0).ToArray();
        var errors = judged.Select(c => Math.Abs(c.Ratio - 1)).ToArray();
        var ratios = judged.Select(c => c.Ratio).Order().ToArray();
        return new CostModelAccuracy(
            judged.Length, checks.Count - judged.Length, errors.Count(e => e <= 0.30), errors.DefaultIfEmpty(double.NaN).Max(),
            SequentialUserDeletions.Percentile(ratios, 0.5), checks);
    }
}
