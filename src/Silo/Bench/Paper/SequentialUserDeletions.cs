using Lethe.Learning.Evaluation;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>Users drawn by record count forget themselves one after another from one sharded model, each exactly.</summary>
internal static class SequentialUserDeletions
{
    /// <summary>
    /// Forgets <paramref name="users"/> users drawn by record count from <paramref name="sharded"/> (changing
    /// it), each timed beside the prediction of a cost model measured just before; the p50 is also given over
    /// <paramref name="baseTrainingSeconds"/>.
    /// </summary>
    public static SequentialDeletions Run(
        MnistData data, ShardedModel sharded, Ownership ownership, int users, long seed, double baseTrainingSeconds, Action<string> log)
    {
        var before = Evaluator.Evaluate(sharded, data.Test).Accuracy;
        var deletions = new List<UserDeletion>();
        foreach (var user in ownership.DrawUsersByRecordCount(users, seed))
        {
            var records = ownership.RecordsOf(user);
            var costs = DeletionCostModel.Measure(sharded.TrainingData, sharded.Options, Recipes.RetrainDefaults, seed);
            var predicted = costs.Predict(sharded.Plan(records).Shards, 0).ReplaySeconds;
            var report = sharded.Forget(records);
            deletions.Add(new UserDeletion(user, ownership.RecordCounts[user], report.Duration.TotalSeconds, predicted, report.SamplesTrained, report.Shards.Count, costs));
            log($"user {user} ({ownership.RecordCounts[user]:N0} records): {report.Duration.TotalSeconds:F2} s (predicted {predicted:F2} s), {report.SamplesTrained:N0} samples replayed");
        }

        var after = sharded.LiveShardCount == 0 ? double.NaN : Evaluator.Evaluate(sharded, data.Test).Accuracy;
        var seconds = deletions.Select(d => d.Seconds).Order().ToArray();
        var samples = deletions.Select(d => (double)d.SamplesTrained).Order().ToArray();
        var p50 = Percentile(seconds, 0.5);
        return new SequentialDeletions(
            sharded.Options.Placement.ToName(), sharded.ShardCount, before, after,
            p50, Percentile(seconds, 0.9), seconds[^1], Percentile(samples, 0.5), p50 / baseTrainingSeconds, deletions);
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
