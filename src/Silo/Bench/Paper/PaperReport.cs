using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>One comparison table: the base model's figures, and one row per method.</summary>
internal sealed record ComparisonTable(
    string Scenario, string Description, int Forgotten, int Retained, double BaseTestAccuracy, double BaseForgetLoss, double BaseMiaAuc,
    double BaseKlToRetrained, IReadOnlyList<ComparisonRow> Rows);

/// <summary>Forgetting users one after another from one sharded model.</summary>
internal sealed record SequentialDeletions(
    string Placement, int Shards, double EnsembleTestAccuracyBefore, double EnsembleTestAccuracyAfter,
    double P50Seconds, double P90Seconds, double MaxSeconds, double P50SamplesTrained, IReadOnlyList<UserDeletion> Deletions);

/// <summary>One user's exact deletion.</summary>
internal sealed record UserDeletion(int User, int Records, double Seconds, long SamplesTrained, int ShardsUpdated);

/// <summary>The ensemble's test accuracy at one shard count.</summary>
internal sealed record EnsembleSize(int Shards, double TestAccuracy, double TrainingSeconds);

/// <summary>A runtime experiment: its points, and where its CSV and SVG were written.</summary>
internal sealed record RuntimeExperiment(string Name, string XLabel, string Csv, string Svg, IReadOnlyList<RuntimePoint> Points);

/// <summary>One point of a runtime experiment: seconds each method took to forget the same records.</summary>
internal sealed record RuntimePoint(double X, int Forgotten, int Retained, double Retrain, double FisherScrub, double NegGradFt, double FisherNoise, double Sisa);

/// <summary>A figure the issue sets a bar for, and whether it was met.</summary>
internal sealed record BarCheck(string Figure, double Value, string Bar, bool Met);

/// <summary>Everything <c>bench paper</c> reports.</summary>
internal sealed record PaperReport(
    string Dataset,
    long Seed,
    int Threads,
    string BlasCore,
    double TotalSeconds,
    ComparisonTable Mixed,
    ComparisonTable Exclusive,
    ComparisonTable Mislabelled,
    SequentialDeletions ZipfUserDeletions,
    CertifiedSequence CertifiedUserDeletions,
    IReadOnlyList<EnsembleSize> EnsembleSizes,
    IReadOnlyList<RuntimeExperiment> RuntimeExperiments,
    IReadOnlyList<BarCheck> Bar);
