namespace Lethe.Learning.Sharding;

/// <summary>Predicted seconds of one shard's two exact updates.</summary>
/// <param name="Shard">The shard.</param>
/// <param name="ReplaySeconds">Replaying from the checkpoint before the earliest affected slice (0 when the shard is emptied and dropped).</param>
/// <param name="FromScratchSeconds">Training the shard from fresh weights on the records it keeps.</param>
public sealed record ShardCost(int Shard, double ReplaySeconds, double FromScratchSeconds);

/// <summary>Predicted seconds of each exact way to carry out one deletion.</summary>
/// <param name="Shards">Per affected shard, by shard index.</param>
/// <param name="RetrainSeconds">Training a fresh whole model on every record kept.</param>
public sealed record DeletionCosts(IReadOnlyList<ShardCost> Shards, double RetrainSeconds)
{
    /// <summary>Every affected shard replayed, one after another.</summary>
    public double ReplaySeconds => Shards.Sum(s => s.ReplaySeconds);

    /// <summary>Every affected shard trained from scratch, one after another.</summary>
    public double ShardsFromScratchSeconds => Shards.Sum(s => s.FromScratchSeconds);
}
