using System.Diagnostics;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>The sharded model's test accuracy as the number of shards grows (each shard sees 1/S of the data).</summary>
internal static class EnsembleSizes
{
    public static IReadOnlyList<EnsembleSize> Run(MnistData data, Ownership ownership, IEnumerable<int> shardCounts, long seed, Action<string> log)
    {
        var results = new List<EnsembleSize>();
        foreach (var shards in shardCounts)
        {
            var clock = Stopwatch.StartNew();
            var sharded = ShardedModel.Train(data.Train, ownership, new ShardingOptions { Shards = shards }, seed);
            var seconds = clock.Elapsed.TotalSeconds;
            var accuracy = Evaluator.Evaluate(sharded, data.Test).Accuracy;
            log($"S={shards}: test accuracy {accuracy:P2} (trained in {seconds:F1} s)");
            results.Add(new EnsembleSize(shards, accuracy, seconds));
        }

        return results;
    }
}
