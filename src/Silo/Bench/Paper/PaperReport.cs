using Lethe.Learning.Sharding;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>One comparison table: the base model's figures, and one row per method.</summary>
internal sealed record ComparisonTable(
    string Scenario, string Description, int Forgotten, int Retained, double BaseTestAccuracy, double BaseForgetLoss, double BaseMiaAuc,
    double BaseKlToRetrained, IReadOnlyList<ComparisonRow> Rows);

/// <summary>Forgetting users one after another from one sharded model.</summary>
internal sealed record SequentialDeletions(
    string Placement, int Shards, double EnsembleTestAccuracyBefore, double EnsembleTestAccuracyAfter,
    double P50Seconds, double P90Seconds, double MaxSeconds, double P50SamplesTrained, double P50OverBaseTraining, IReadOnlyList<UserDeletion> Deletions);

/// <summary>One user's exact deletion, and what the cost model, measured just before, predicted it would take.</summary>
internal sealed record UserDeletion(int User, int Records, double Seconds, double PredictedSeconds, long SamplesTrained, int ShardsUpdated, DeletionCostModel Costs);

/// <summary>The ensemble's test accuracy at one shard count.</summary>
internal sealed record EnsembleSize(int Shards, double TestAccuracy, double TrainingSeconds);

/// <summary>How the sharded models of the run were sliced and trained.</summary>
internal sealed record ShardSchedule(string Schedule, int Shards, int Slices, int Epochs, IReadOnlyList<int> StageEpochs)
{
    public static ShardSchedule Of(ShardingOptions options) =>
        new(options.Schedule.ToName(), options.Shards, options.Slices, options.Training.Epochs, options.StageEpochs());
}

/// <summary>A runtime experiment: its points, and where its CSV and SVG were written.</summary>
internal sealed record RuntimeExperiment(string Name, string XLabel, string Csv, string Svg, IReadOnlyList<RuntimePoint> Points);

/// <summary>
/// One point of a runtime experiment: seconds each method took to forget the same records (the median of its
/// <see cref="Runs"/>, timed by <see cref="RepeatedTiming"/>'s rule); the path <c>auto</c> took and, when it
/// replayed, whether the replayed shards are byte-identical to shards trained from scratch; the median
/// seconds of auto's plan and choice (<see cref="AutoChooseSeconds"/>, part of <see cref="Auto"/>); and the
/// predictions of the cost model measured just before, which auto chose by.
/// </summary>
internal sealed record RuntimePoint(
    double X, int Forgotten, int Retained, double Retrain, double FisherScrub, double NegGradFt, double FisherNoise, double Sisa,
    double Auto, string AutoPath, bool? AutoExact, double PredictedSisa, double PredictedRetrain, DeletionCostModel? Costs = null,
    IReadOnlyDictionary<string, IReadOnlyList<double>>? Runs = null, double? AutoChooseSeconds = null)
{
    /// <summary>auto's seconds over the faster of retrain and sisa at this point.</summary>
    public double AutoOverFaster => Auto / Math.Min(Retrain, Sisa);
}

/// <summary>
/// <c>auto</c> over the runtime experiments' points: how often it was within 1.1x of the faster of retrain
/// and sisa, how often the path it chose was the one measured faster (or within 10% of it), and its replays
/// checked against shards trained from scratch.
/// </summary>
internal sealed record AutoSummary(int Points, int Within110Percent, int ChoseFasterPath, double WorstOverFaster, double MedianOverFaster, int Replays, int ReplaysByteIdentical)
{
    public static AutoSummary From(IEnumerable<RuntimePoint> points)
    {
        var all = points.ToArray();
        var ratios = all.Select(p => p.AutoOverFaster).Order().ToArray();
        var choseFaster = all.Count(p => (p.AutoPath == "replay" ? p.Sisa : p.Retrain) <= 1.1 * Math.Min(p.Sisa, p.Retrain));
        return new AutoSummary(
            all.Length, ratios.Count(r => r <= 1.1), choseFaster, ratios.DefaultIfEmpty(double.NaN).Max(), SequentialUserDeletions.Percentile(ratios, 0.5),
            all.Count(p => p.AutoExact is not null), all.Count(p => p.AutoExact == true));
    }
}

/// <summary>A figure the issue sets a bar for, and whether it was met.</summary>
internal sealed record BarCheck(string Figure, double Value, string Bar, bool Met);

/// <summary>Everything <c>bench paper</c> reports.</summary>
internal sealed record PaperReport(
    string Dataset,
    long Seed,
    int Threads,
    string BlasCore,
    double TotalSeconds,
    double BaseTrainingSeconds,
    double SisaTrainingSeconds,
    IReadOnlyDictionary<string, IReadOnlyList<double>> TrainingRuns,
    ShardSchedule SisaSchedule,
    ComparisonTable Mixed,
    ComparisonTable Exclusive,
    ComparisonTable Mislabelled,
    SequentialDeletions ZipfUserDeletions,
    CertifiedSequence CertifiedUserDeletions,
    IReadOnlyList<EnsembleSize> EnsembleSizes,
    IReadOnlyList<RuntimeExperiment> RuntimeExperiments,
    AutoSummary Auto,
    CostModelAccuracy CostModelAccuracy,
    IReadOnlyList<BarCheck> Bar)
{
    /// <summary>The S=8 user-affine SISA model's full training over the base model's.</summary>
    public double SisaTrainingOverBaseTraining => SisaTrainingSeconds / BaseTrainingSeconds;
}

/// <summary>What <c>bench paper --runtime-only</c> reports: the three runtime experiments, <c>auto</c> over them and the cost model's accuracy on them.</summary>
internal sealed record RuntimeReport(
    string Dataset, long Seed, int Threads, string BlasCore, double TotalSeconds, IReadOnlyList<RuntimeExperiment> RuntimeExperiments, AutoSummary Auto,
    CostModelAccuracy CostModelAccuracy);
