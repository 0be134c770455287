namespace Lethe.Learning.Sharding;

/// <summary>The two exact ways to forget records from a model trained with SISA.</summary>
public enum ExactPath
{
    /// <summary>Every affected shard replays from the checkpoint before its earliest affected slice (a shard that would replay from slice 0 is retrained from scratch, the same computation).</summary>
    Replay,

    /// <summary>A fresh whole model is trained on every record kept.</summary>
    Retrain,
}

/// <summary>The cheaper exact path for one deletion, and the predictions it was chosen by.</summary>
/// <param name="Path">The path with the fewer predicted seconds (replay on a tie).</param>
/// <param name="Costs">What each path is predicted to take.</param>
public sealed record ExactPathChoice(ExactPath Path, DeletionCosts Costs)
{
    /// <summary>
    /// Chooses between replaying the affected shards and retraining the whole model, by
    /// <paramref name="costs"/>. A pure function of its arguments, so a coordinator holding only each
    /// shard's own plan decides as a <see cref="ShardedModel"/> does.
    /// </summary>
    /// <param name="shards">One update per affected shard.</param>
    /// <param name="retainedRecords">Records the whole model keeps after the deletion; with none there is nothing to retrain on, so the shards replay (and drop).</param>
    /// <param name="costs">The cost model.</param>
    public static ExactPathChoice Choose(IReadOnlyCollection<ShardUpdatePlan> shards, int retainedRecords, DeletionCostModel costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        var predicted = costs.Predict(shards, retainedRecords);
        var path = retainedRecords > 0 && predicted.RetrainSeconds < predicted.ReplaySeconds ? ExactPath.Retrain : ExactPath.Replay;
        return new ExactPathChoice(path, predicted);
    }
}
