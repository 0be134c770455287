using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>The figures the issues set bars for (the unlearning engine's, the SISA schedule's and the other methods'), checked against them.</summary>
internal static class PaperBars
{
    private const string Certified = "certified";

    public static IReadOnlyList<BarCheck> Check(
        ComparisonTable mixed, ComparisonTable exclusive, ComparisonTable mislabelled, SequentialDeletions sisa, CertifiedSequence certifiedSequence,
        double sisaTrainingOverBase, AutoSummary auto, CostModelAccuracy costs)
    {
        var scrubMixed = Row(mixed, "fisher-scrub");
        var scrubExclusive = Row(exclusive, "fisher-scrub");
        var testDrop = mixed.BaseTestAccuracy - scrubMixed.TestAccuracy;
        var aucGap = Math.Abs(scrubMixed.MiaAuc - scrubMixed.RetrainedMiaAuc);
        var exactShare = auto.Replays == 0 ? double.NaN : (double)auto.ReplaysByteIdentical / auto.Replays;
        var scrub = Row(exclusive, "scrub");
        var influence = Row(mixed, "influence");
        var influenceGap = Math.Abs(influence.TestAccuracy - influence.RetrainedTestAccuracy);
        var tables = new[] { mixed, exclusive, mislabelled };
        var certified = tables.Select(t => Row(t, Certified)).ToArray();
        var certifiedGap = certified.Max(r => Math.Abs(r.TestAccuracy - r.RetrainedTestAccuracy));
        var retrained = certified.Count(r => r.Details["retrained"] == 1);
        var certificates = certified.Count(r => r.Epsilon is { } e && double.IsFinite(e) && r.Delta is { } d && double.IsFinite(d))
            + certifiedSequence.Deletions.Count(d => double.IsFinite(d.Epsilon) && double.IsFinite(d.Delta));
        var deletionCount = certified.Length + certifiedSequence.Deletions.Count;
        var sequenceGap = Math.Abs(certifiedSequence.TestAccuracy - certifiedSequence.FromScratchTestAccuracy);
        var sisaLoss = mislabelled.Rows.First(r => r.Method == "sisa").ForgetLoss;
        var retrainLoss = Row(mislabelled, "retrain").ForgetLoss;
        var sisaGap = Math.Abs(sisaLoss - retrainLoss) / retrainLoss;
        var approximate = mislabelled.Rows.Where(r => r.KlToRetrained is not null).ToArray();
        var placed = approximate.Count(r => double.IsFinite(r.ForgetLossPosition) && double.IsFinite(r.MiaAucPosition));
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
            new("scrub exclusive: accuracy on test digit 0", scrub.ForgottenClassTestAccuracy!.Value, "<= 0.01", scrub.ForgottenClassTestAccuracy <= 0.01),
            new("scrub exclusive: accuracy on test digits 1-9", scrub.OtherClassesTestAccuracy!.Value, ">= 0.970", scrub.OtherClassesTestAccuracy >= 0.970),
            new("influence mixed: mean KL to the retrained model (bar: below the base model's)", influence.KlToRetrained!.Value,
                $"< {influence.BaseKlToRetrained!.Value:F4}", influence.KlToRetrained < influence.BaseKlToRetrained),
            new("influence mixed: |test accuracy - retrained test accuracy|", influenceGap, "<= 0.010", influenceGap <= 0.010),
            new("certified: deletions carrying (epsilon, delta), of the three tables' and the sequence's", certificates, $"= {deletionCount}", certificates == deletionCount),
            new($"certified, {certifiedSequence.Users} lightest users forgotten ({certifiedSequence.NewtonSteps} Newton steps): |test accuracy - same certified model trained from scratch|",
                sequenceGap, "<= 0.005", sequenceGap <= 0.005),
            new($"certified, the three tables ({retrained} of {certified.Length} deletions past the budget, so trained again): largest |test accuracy - trained from scratch|",
                certifiedGap, "<= 0.005", certifiedGap <= 0.005),
            new("mislabelled: |sisa forget loss - retrain forget loss| / retrain forget loss", sisaGap, "<= 0.05", sisaGap <= 0.05),
            new("mislabelled: approximate rows placed between base and retrain (forget loss and MIA AUC)", placed, $"= {approximate.Length}", placed == approximate.Length),
        ];
    }

    private static ComparisonRow Row(ComparisonTable table, string method) => table.Rows.First(r => r.Method == method);
}
