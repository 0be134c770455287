using Lethe.Grains.Shards;
using Microsoft.Extensions.Options;

namespace Lethe.Grains.Deletions;

/// <summary>How deletions are carried out, bound from <c>Lethe:Deletions</c>.</summary>
public sealed class DeletionOptions
{
    /// <summary>The unlearn latency <c>auto</c> aims for: within it, the exact replay; beyond it, a scrub first. Default 30 s.</summary>
    public TimeSpan Sla { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Examples a replay trains per second on this silo, used to predict replay time. Default 120,000:
    /// <c>bench train</c>'s SGD recipe at batch 64 on the 2-core machines this was built on.
    /// </summary>
    public double SamplesPerSecond { get; set; } = 120_000;
}

/// <summary>What <c>auto</c> chooses: <c>sisa</c> when the replays the deletion needs are predicted to end within the SLA, else <c>scrub-then-sisa</c>.</summary>
public sealed class DeletionPolicy(IOptions<DeletionOptions> options)
{
    /// <summary>The method for a deletion of <paramref name="recordsByShard"/>, asking each shard what it would replay.</summary>
    public async Task<UnlearningMethod> Choose(ModelSpec spec, Dictionary<int, int[]> recordsByShard, Func<int, IShardGrain> shard)
    {
        var samples = await Task.WhenAll(recordsByShard.Select(pair => shard(pair.Key).SamplesToReplay(pair.Value)));
        return Predicted(samples) <= options.Value.Sla ? UnlearningMethod.Sisa : UnlearningMethod.ScrubThenSisa;
    }

    // Replays of one silo run one after another (the compute gate), so their times add up.
    private TimeSpan Predicted(long[] samples) => TimeSpan.FromSeconds(samples.Sum() / options.Value.SamplesPerSecond);
}
