using Lethe.Silo.Bench.Paper;

namespace Lethe.Silo.Bench.Cluster;

/// <summary>The figures the cluster issue sets bars for, checked against them.</summary>
internal static class ClusterBars
{
    public static IReadOnlyList<BarCheck> Check(SequentialResult sequential, BurstResult burst)
    {
        List<BarCheck> bars =
        [
            new("sequential: p50 seconds from Accepted to ModelsUpdated", sequential.P50Seconds, "<= 1.43", sequential.P50Seconds <= 1.43),
            new("sequential: p50 over the in-process replay of the same plans", sequential.P50OverInProcess, "<= 1.3", sequential.P50OverInProcess <= 1.3),
            new("burst: seconds until every deletion is served, over training from scratch", burst.OverFromScratch, "<= 1.5", burst.OverFromScratch <= 1.5),
            new("burst: every shard byte-identical to training it from scratch without the users", burst.Exact ? 1 : 0, "= 1", burst.Exact),
        ];
        if (sequential.SingleSiloP50Seconds is { } single)
            bars.Add(new("sequential: p50 over one silo's p50 over the same PostgreSQL", sequential.P50Seconds / single, "<= 1.5", sequential.P50Seconds <= 1.5 * single));
        return bars;
    }
}
