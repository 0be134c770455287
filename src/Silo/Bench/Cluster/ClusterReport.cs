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
    IReadOnlyList<double> InProcessSeconds)
{
    /// <summary>With several silos: the p50 of the same deletions through one silo over the same PostgreSQL, in the same run.</summary>
    public double? SingleSiloP50Seconds { get; init; }
}

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

    /// <summary>Silos in the cluster the deletions went through.</summary>
    public int Silos { get; init; } = 1;

    /// <summary>Where the silos kept their state: <c>sqlite</c> (the embedded default, in this process) or <c>postgres</c> (<c>lethe serve</c> processes).</summary>
    public string Store { get; init; } = "sqlite";

    public string BlasCore { get; init; } = "";

    public int Threads { get; init; }

    public double TotalSeconds { get; init; }
}
