using Lethe.Learning.Certified;
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
    /// Runs the single-model methods on <paramref name="baseModel"/>, certified removal on
    /// <paramref name="certifiedBase"/>, and sisa and auto (priced by a cost model measured just before) on
    /// each of <paramref name="shardedModels"/> (left as they were).
    /// </summary>
    public static ComparisonTable Build(
        MnistData data, Scenario scenario, Mlp baseModel, CertifiedModel certifiedBase, IEnumerable<ShardedModel> shardedModels, long seed, Action<string> log)
    {
        var comparison = new MethodComparison(data, scenario, seed);
        var rows = new List<ComparisonRow>();
        foreach (var method in MethodComparison.SingleModelMethods)
        {
            rows.Add(comparison.RunSingleModel(method, baseModel));
            log($"  {method}: {rows[^1].RuntimeSeconds:F2} s");
        }

        rows.Add(comparison.RunCertified(certifiedBase));
        log($"  certified: {rows[^1].RuntimeSeconds:F2} s, epsilon {rows[^1].Epsilon:G3}");
        foreach (var sharded in shardedModels)
        {
            rows.Add(comparison.RunSharded(new Sisa(), sharded));
            rows.Add(comparison.RunSharded(new Auto(DeletionCostModel.Measure(data.Train, sharded.Options, Recipes.RetrainDefaults, seed)), sharded));
        }

        var reference = comparison.Reference;
        return new ComparisonTable(
            scenario.Name, scenario.Description, scenario.Forget.Length, scenario.Retain.Length,
            Evaluator.Evaluate(new MlpClassifier(baseModel), data.Test).Accuracy, reference.BaseForgetLoss, reference.BaseMiaAuc, reference.BaseKlToRetrained,
            MethodComparison.WithSpeedUps(rows));
    }
}
