using Lethe.Learning.Sharding;

namespace Lethe.Silo.Experiments;

/// <summary>Checks an exact deletion: every shard it replayed is retrained from scratch on the records it kept and compared byte for byte.</summary>
internal static class ReplayCheck
{
    /// <summary>
    /// Whether every shard <paramref name="replay"/> trained (dropped shards hold nothing to compare) has the
    /// weights training it from fresh weights on its retained records gives; <paramref name="onShard"/> is
    /// called after each shard checked.
    /// </summary>
    public static bool MatchesFromScratch(ShardedModel replayed, DeletionReport replay, Action? onShard = null, CancellationToken cancellationToken = default)
    {
        foreach (var shard in replay.Shards.Where(s => s.Plan.Kind != ShardUpdateKind.Drop).Select(s => s.Plan.Shard))
        {
            var slices = Enumerable.Range(0, replayed.SliceCount).Select(slice => replayed.RetainedRecords(shard, slice)).ToArray();
            var fromScratch = ShardTrainer.Run(replayed.TrainingData, shard, slices, 0, default, replayed.Options, replayed.RunSeed, cancellationToken: cancellationToken).Model;
            if (!fromScratch.Parameters.AsSpan().SequenceEqual(replayed.ShardModel(shard)!.Parameters)) return false;
            onShard?.Invoke();
        }

        return true;
    }
}
