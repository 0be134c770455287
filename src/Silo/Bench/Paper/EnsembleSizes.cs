using System.Diagnostics;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>The sharded model's test accuracy as the number of shards grows (each shard sees 1/S of the data).</summary>
internal static class EnsembleSizes
{
    /// <summary>
    /// Trains a default sharded model per shard count, except where <paramref name="trained"/> already
    /// holds one (with its training time) for that count.
    /// </summary>
    public static IReadOnlyList<EnsembleSize> Run(
        MnistData data, Ownership ownership, IEnumerable<int> shardCounts, long seed, IReadOnlyDictionary<int, (ShardedModel Model, double Seconds)> trained, Action<string> log)
    {
        var results = new List<EnsembleSize>();
        foreach (var shards in shardCounts)
        {
            if (!trained.TryGetValue(shards, out var known))
            {
                var clock = Stopwatch.StartNew();
                known = (ShardedModel.Train(data.Train, ownership, new ShardingOptions { Shards = shards }, seed), clock.Elapsed.TotalSeconds);
            }

            var (sharded, seconds) = known;
            var accuracy = Evaluator.Evaluate(sharded, data.Test).Accuracy;
            log($"S={shards}: test accuracy {accuracy:P2} (trained in {seconds:F1} s)");
            results.Add(new EnsembleSize(shards, accuracy, seconds));
        }

        return results;
    }
}
