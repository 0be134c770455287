namespace Lethe.Learning.Sharding;

/// <summary>What one shard did to forget its records, and what it cost.</summary>
/// <param name="Plan">The update: shard, slice replayed from, records forgotten and kept, kind.</param>
/// <param name="SamplesTrained">Examples passed through training steps.</param>
/// <param name="Duration">Wall time of the update, checkpoint load and saves included.</param>
public sealed record ShardUpdateReport(ShardUpdatePlan Plan, long SamplesTrained, TimeSpan Duration);

/// <summary>The outcome of an exact deletion.</summary>
/// <param name="Forgotten">Records forgotten by this deletion.</param>
/// <param name="AlreadyForgotten">Records asked for that had been forgotten before (nothing was done for them).</param>
/// <param name="Shards">One report per affected shard, by shard index.</param>
/// <param name="Duration">Wall time of the whole deletion.</param>
public sealed record DeletionReport(int Forgotten, int AlreadyForgotten, IReadOnlyList<ShardUpdateReport> Shards, TimeSpan Duration)
{
    /// <summary>Examples passed through training steps over all shards.</summary>
    public long SamplesTrained => Shards.Sum(s => s.SamplesTrained);
}
