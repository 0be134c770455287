using System.Collections.Concurrent;
using Lethe.Grains.Compute;
using Lethe.Grains.Data;
using Lethe.Grains.Shards;
using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;
using Microsoft.Extensions.Options;

namespace Lethe.Grains.Deletions;

/// <summary>How deletions are carried out, bound from <c>Lethe:Deletions</c>.</summary>
public sealed class DeletionOptions
{
    /// <summary>The unlearn latency <c>auto</c> aims for: within it, the exact replay; beyond it, a scrub first. Default 30 s.</summary>
    public TimeSpan Sla { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// What <c>auto</c> chooses: <c>sisa</c> when Learning's deletion cost model (the one <c>bench paper</c>
/// checks against measured replays) predicts the replays end within the SLA, else <c>scrub-then-sisa</c>:
/// the scrub is served at once and the exact replay follows.
/// </summary>
public sealed class DeletionPolicy(IOptions<DeletionOptions> options, DatasetCatalog datasets, ComputeGate gate)
{
    // Measured once per silo and recipe: a second or so of training on the silo's own cores, through the gate like any training.
    private readonly ConcurrentDictionary<string, Lazy<Task<DeletionCostModel>>> costModels = new();

    /// <summary>The method for a deletion of <paramref name="recordsByShard"/>, and the replay seconds predicted for it.</summary>
    public async Task<(UnlearningMethod Method, double PredictedSeconds)> Choose(ModelSpec spec, Dictionary<int, int[]> recordsByShard, Func<int, IShardGrain> shard)
    {
        var plans = await Task.WhenAll(recordsByShard.Select(pair => shard(pair.Key).Plan(pair.Value)));
        var costs = (await CostModel(spec)).Predict([.. plans.Select(p => p.ToUpdatePlan())], retainedRecords: 0);
        var method = costs.ReplaySeconds <= options.Value.Sla.TotalSeconds ? UnlearningMethod.Sisa : UnlearningMethod.ScrubThenSisa;
        return (method, costs.ReplaySeconds);
    }

    private Task<DeletionCostModel> CostModel(ModelSpec spec)
    {
        var sharding = ModelRecipe.ShardingOptions(spec);
        var key = $"{spec.Dataset}|{StageCheckpoint.RecipeFingerprint(sharding, 0)}";
        return costModels.GetOrAdd(key, _ => new Lazy<Task<DeletionCostModel>>(() =>
            gate.Run(() => DeletionCostModel.Measure(datasets.Train(spec.Dataset), sharding, new RetrainOptions(), spec.Seed)))).Value;
    }
}
