using System.Diagnostics.Metrics;

namespace Lethe.Grains.Metrics;

/// <summary>
/// Lethe's instruments (meter <c>Lethe</c>); the host exports them with Orleans' own. Labels are few and
/// never name a user.
/// </summary>
public sealed class LetheMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Lethe";

    /// <summary>Histogram buckets of every duration, in seconds: 50 ms to 30 min.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800];

    /// <summary>The outcomes <see cref="Deletion"/> counts.</summary>
    public static readonly IReadOnlyList<string> Outcomes = ["accepted", "completed", "failed"];

    private readonly Meter meter;
    private readonly Histogram<double> unlearn;
    private readonly Histogram<double> replay;
    private readonly Counter<long> deletions;
    private readonly Counter<long> replayedSamples;
    private int pendingDeletions;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public LetheMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        unlearn = meter.CreateHistogram("lethe.unlearn.duration", "s", "Unlearn latency: a deletion's Accepted to ModelsUpdated", advice: buckets);
        replay = meter.CreateHistogram("lethe.shard.replay.duration", "s", "One shard update (replay, retrain or scrub), wall time", advice: buckets);
        deletions = meter.CreateCounter<long>("lethe.deletions", "{deletion}", "Deletions by outcome: accepted, completed, failed");
        replayedSamples = meter.CreateCounter<long>("lethe.replayed.samples", "{sample}", "Examples passed through training steps by shard updates");
        meter.CreateObservableGauge("lethe.deletion.queue.depth", () => Volatile.Read(ref pendingDeletions), "{deletion}",
            "Deletions accepted and not yet served by every affected shard, on the coordinators active in this silo");

        // The counters' series start at zero, so Prometheus' rate() and increase() see a silo's first deletion of each outcome.
        foreach (var outcome in Outcomes) deletions.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        replayedSamples.Add(0);
    }

    /// <summary>A deletion reached ModelsUpdated after <paramref name="latency"/>.</summary>
    public void Unlearned(UnlearningMethod method, TimeSpan latency) => unlearn.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("method", method.ToName()));

    /// <summary>A shard update of <paramref name="kind"/> took <paramref name="duration"/> and trained <paramref name="samples"/> examples.</summary>
    public void ShardUpdated(string kind, TimeSpan duration, long samples)
    {
        replay.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
        replayedSamples.Add(samples);
    }

    /// <summary>A deletion was accepted, completed or failed.</summary>
    public void Deletion(string outcome) => deletions.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Deletions pending on a coordinator of this silo changed by <paramref name="delta"/>.</summary>
    public void PendingChanged(int delta) => Interlocked.Add(ref pendingDeletions, delta);

    /// <inheritdoc />
    public void Dispose() => meter.Dispose();
}
