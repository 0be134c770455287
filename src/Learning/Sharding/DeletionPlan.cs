namespace Lethe.Learning.Sharding;

/// <summary>What a shard does to forget records.</summary>
public enum ShardUpdateKind
{
    /// <summary>Reloads the checkpoint before the earliest affected slice and replays the later stages.</summary>
    Replay,

    /// <summary>The earliest affected slice is the first: trains from fresh weights (the same computation as a replay from slice 0).</summary>
    Retrain,

    /// <summary>No record is left: the shard drops its model and leaves the ensemble.</summary>
    Drop,

    /// <summary>The shard holds none of the records (forgotten before, or never its own) and serves its exact model: nothing to do.</summary>
    Unchanged,
}

/// <summary>One shard's part of a deletion: every pending record of the shard is served by this one update.</summary>
/// <param name="Shard">The shard.</param>
/// <param name="Slices">The shard's slices, R.</param>
/// <param name="FromSlice">The first stage trained again (the earliest slice holding a record to forget, or earlier when a scrub left the checkpoints from there on approximate); the slice count when nothing is trained.</param>
/// <param name="Forgotten">Records of this shard to forget.</param>
/// <param name="Remaining">Records the shard keeps.</param>
/// <param name="SamplesToTrain">Examples the update passes through training steps.</param>
/// <param name="SamplesFromScratch">Examples training the shard from fresh weights on the records it keeps would pass through training steps.</param>
/// <param name="Kind">Replay, retrain, drop or nothing.</param>
public sealed record ShardUpdatePlan(int Shard, int Slices, int FromSlice, int Forgotten, int Remaining, long SamplesToTrain, long SamplesFromScratch, ShardUpdateKind Kind)
{
    /// <summary>Stages the update trains: from <see cref="FromSlice"/> on, none when the shard is dropped or unchanged.</summary>
    public int StagesToTrain => Kind is ShardUpdateKind.Replay or ShardUpdateKind.Retrain ? Slices - FromSlice : 0;

    /// <summary>The plan of a shard of <paramref name="sliceCount"/> slices that trains again from <paramref name="fromSlice"/> (nothing when it equals the slice count).</summary>
    public static ShardUpdatePlan Create(int shard, int sliceCount, int fromSlice, int forgotten, int remaining, long samplesToTrain, long samplesFromScratch)
    {
        var kind = fromSlice >= sliceCount ? ShardUpdateKind.Unchanged
            : remaining == 0 ? ShardUpdateKind.Drop
            : fromSlice == 0 ? ShardUpdateKind.Retrain
            : ShardUpdateKind.Replay;
        var dropped = kind == ShardUpdateKind.Drop;
        return new ShardUpdatePlan(shard, sliceCount, Math.Min(fromSlice, sliceCount), forgotten, remaining, dropped ? 0 : samplesToTrain, dropped ? 0 : samplesFromScratch, kind);
    }
}

/// <summary>What forgetting a set of records would do, shard by shard.</summary>
/// <param name="Records">The records to forget (ascending), excluding those already forgotten.</param>
/// <param name="AlreadyForgotten">Records asked for that were forgotten before; forgetting them again does nothing.</param>
/// <param name="Shards">One update per affected shard, by shard index.</param>
public sealed record DeletionPlan(IReadOnlyList<int> Records, int AlreadyForgotten, IReadOnlyList<ShardUpdatePlan> Shards)
{
    /// <summary>Examples all updates pass through training steps.</summary>
    public long SamplesToTrain => Shards.Sum(s => s.SamplesToTrain);
}
