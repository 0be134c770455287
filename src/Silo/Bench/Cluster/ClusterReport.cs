using Lethe.Silo.Bench.Paper;

namespace Lethe.Silo.Bench.Cluster;

/// <summary>Users forgotten one at a time: unlearn latency through the cluster against the in-process replay of the same plans.</summary>
internal sealed record SequentialResult(
    int Users,
    double P50Seconds,
    double P95Seconds,
    double InProcessP50Seconds,
    double InProcessP95Seconds,
    double P50OverInProcess,
    bool Exact,
    IReadOnlyList<double> LatencySeconds,
    IReadOnlyList<double> InProcessSeconds);

/// <summary>A burst of deletions at once: the time until all are served, against training from scratch.</summary>
internal sealed record BurstResult(
    int Users,
    int Owners,
    int RecordsForgotten,
    double Seconds,
    double FromScratchSeconds,
    double OverFromScratch,
    long Replays,
    bool Exact);

/// <summary>What <c>bench cluster</c> reports.</summary>
internal sealed record ClusterReport(SequentialResult Sequential, BurstResult Burst, IReadOnlyList<BarCheck> Bar)
{
    public string Dataset { get; init; } = "mnist";

    public string BlasCore { get; init; } = "";

    public int Threads { get; init; }

    public double TotalSeconds { get; init; }
}
