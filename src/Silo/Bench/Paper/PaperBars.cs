namespace Lethe.Silo.Bench.Paper;

/// <summary>The figures the issues set bars for (the unlearning engine's and the SISA schedule's), checked against them.</summary>
internal static class PaperBars
{
    public static IReadOnlyList<BarCheck> Check(
        ComparisonTable mixed, ComparisonTable exclusive, SequentialDeletions sisa, double sisaTrainingOverBase, AutoSummary auto, CostModelAccuracy costs)
    {
        var scrubMixed = mixed.Rows.First(r => r.Method == "fisher-scrub");
        var scrubExclusive = exclusive.Rows.First(r => r.Method == "fisher-scrub");
        var testDrop = mixed.BaseTestAccuracy - scrubMixed.TestAccuracy;
        var aucGap = Math.Abs(scrubMixed.MiaAuc - scrubMixed.RetrainedMiaAuc);
        var exactShare = auto.Replays == 0 ? double.NaN : (double)auto.ReplaysByteIdentical / auto.Replays;
        return
        [
            new("sisa user-affine S=8: p50 seconds to forget one of 20 Zipf-drawn users", sisa.P50Seconds, "<= 1.43", sisa.P50Seconds <= 1.43),
            new("sisa user-affine S=8: p50 one-user seconds over the base model's training seconds", sisa.P50OverBaseTraining, "<= 0.12", sisa.P50OverBaseTraining <= 0.12),
            new("sisa user-affine S=8: ensemble test accuracy", sisa.EnsembleTestAccuracyBefore, ">= 0.970", sisa.EnsembleTestAccuracyBefore >= 0.970),
            new("S=8 SISA training seconds over the base model's training seconds", sisaTrainingOverBase, "<= 2", sisaTrainingOverBase <= 2),
            new($"auto: worst of {auto.Points} runtime-experiment points, seconds over the faster of retrain and sisa", auto.WorstOverFaster, "<= 1.1", auto.WorstOverFaster <= 1.1),
            new($"auto: share of its {auto.Replays} replays byte-identical to shards trained from scratch", exactShare, "= 1", exactShare == 1),
            new($"cost model: largest |predicted / measured - 1| over {costs.Cases} exact deletions", costs.MaxRelativeError, "<= 0.30", costs.MaxRelativeError <= 0.30),
            new("fisher-scrub exclusive: accuracy on test digit 0", scrubExclusive.ForgottenClassTestAccuracy!.Value, "<= 0.01", scrubExclusive.ForgottenClassTestAccuracy <= 0.01),
            new("fisher-scrub exclusive: accuracy on test digits 1-9", scrubExclusive.OtherClassesTestAccuracy!.Value, ">= 0.970", scrubExclusive.OtherClassesTestAccuracy >= 0.970),
            new("fisher-scrub mixed: test accuracy lost against the base model", testDrop, "<= 0.010", testDrop <= 0.010),
            new("fisher-scrub mixed: |MIA AUC - retrained MIA AUC|", aucGap, "<= 0.05", aucGap <= 0.05),
            new("fisher-scrub mixed: seconds (Fisher included when one is computed)", scrubMixed.RuntimeSeconds, "<= 0.5", scrubMixed.RuntimeSeconds <= 0.5),
            new("fisher-scrub exclusive: seconds, Fisher included", scrubExclusive.RuntimeSeconds, "<= 0.5", scrubExclusive.RuntimeSeconds <= 0.5),
        ];
    }
}
