using Lethe.Learning.Evaluation;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>Users drawn by record count forget themselves one after another from one sharded model, each exactly.</summary>
internal static class SequentialUserDeletions
{
    public static SequentialDeletions Run(MnistData data, ShardedModel sharded, Ownership ownership, int users, long seed, Action<string> log)
    {
        var before = Evaluator.Evaluate(sharded, data.Test).Accuracy;
        var deletions = new List<UserDeletion>();
        foreach (var user in ownership.DrawUsersByRecordCount(users, seed))
        {
            var report = sharded.Forget(ownership.RecordsOf(user));
            deletions.Add(new UserDeletion(user, ownership.RecordCounts[user], report.Duration.TotalSeconds, report.SamplesTrained, report.Shards.Count));
            log($"user {user} ({ownership.RecordCounts[user]:N0} records): {report.Duration.TotalSeconds:F2} s, {report.SamplesTrained:N0} samples replayed");
        }

        var after = sharded.LiveShardCount == 0 ? double.NaN : Evaluator.Evaluate(sharded, data.Test).Accuracy;
        var seconds = deletions.Select(d => d.Seconds).Order().ToArray();
        var samples = deletions.Select(d => (double)d.SamplesTrained).Order().ToArray();
        return new SequentialDeletions(
            sharded.Options.Placement.ToName(), sharded.ShardCount, before, after,
            Percentile(seconds, 0.5), Percentile(seconds, 0.9), seconds[^1], Percentile(samples, 0.5), deletions);
    }

    /// <summary>The percentile by linear interpolation between closest ranks (numpy's default).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}
