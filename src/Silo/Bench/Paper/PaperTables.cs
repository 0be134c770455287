using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>The seed paper's tables: every method forgets the same user from the same models.</summary>
internal static class PaperTables
{
    /// <summary>
    /// Runs retrain, fisher-scrub, neggrad-ft and fisher-noise on <paramref name="baseModel"/>, and sisa and
    /// auto (priced by a cost model measured just before) on each of <paramref name="shardedModels"/> (left as they were).
    /// </summary>
    public static ComparisonTable Build(MnistData data, Scenario scenario, Mlp baseModel, IEnumerable<ShardedModel> shardedModels, long seed)
    {
        var comparison = new MethodComparison(data, scenario, seed);
        var rows = MethodComparison.SingleModelMethods.Select(method => comparison.RunSingleModel(method, baseModel)).ToList();
        foreach (var sharded in shardedModels)
        {
            rows.Add(comparison.RunSharded(new Sisa(), sharded));
            rows.Add(comparison.RunSharded(new Auto(DeletionCostModel.Measure(data.Train, sharded.Options, Recipes.RetrainDefaults, seed)), sharded));
        }

        var baseAccuracy = Evaluator.Evaluate(new MlpClassifier(baseModel), data.Test).Accuracy;
        return new ComparisonTable(scenario.Name, scenario.Description, scenario.Forget.Length, scenario.Retain.Length, baseAccuracy, MethodComparison.WithSpeedUps(rows));
    }
}
