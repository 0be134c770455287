using System.Diagnostics;
using Lethe.Learning.Audits;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;

namespace Lethe.Silo.Experiments;

/// <summary>
/// Runs every unlearning method on one scenario and audits each result against the model retrained
/// without the forget set (retrain's own output).
/// </summary>
internal sealed class MethodComparison(MnistData data, Scenario scenario, long seed)
{
    /// <summary>The single-model methods, in table order; retrain comes first because every audit compares with it.</summary>
    public static readonly string[] SingleModelMethods = ["retrain", "fisher-scrub", "neggrad-ft", "fisher-noise"];

    private MlpClassifier? retrained;

    /// <summary>retrain's model, the reference of every membership-inference figure.</summary>
    public MlpClassifier Retrained => retrained ?? throw new InvalidOperationException("Run retrain first.");

    /// <summary>Unlearns with <paramref name="method"/> from <paramref name="baseModel"/>, times it and audits the result.</summary>
    public ComparisonRow RunSingleModel(string method, Mlp baseModel)
    {
        var clock = Stopwatch.StartNew();
        var result = UnlearningMethods.Create(method).Unlearn(baseModel, data.Train, scenario.Forget, scenario.Retain, seed);
        var seconds = clock.Elapsed.TotalSeconds;
        var model = new MlpClassifier(result.Model);
        if (method == "retrain") retrained = model;
        return Audit(method, null, model, seconds, result.Report.Details, result.Report.Note);
    }

    /// <summary>
    /// Forgets the scenario's records from a trained sharded model (left as it was) with a sharded method,
    /// timed, and audits the result; a replay by <c>auto</c> is also checked against shards trained from scratch.
    /// </summary>
    public ComparisonRow RunSharded(IShardedUnlearningMethod method, ShardedModel sharded)
    {
        var clock = Stopwatch.StartNew();
        var result = method.Unlearn(sharded, scenario.Forget, seed);
        var seconds = clock.Elapsed.TotalSeconds;
        var details = new Dictionary<string, double>(result.Report.Details) { ["retrained_whole_model"] = result.Path == ExactPath.Retrain ? 1 : 0 };
        if (method is Auto && result.Replay is { } replay)
            details["replay_byte_identical"] = ReplayCheck.MatchesFromScratch(result.Sharded!, replay) ? 1 : 0;
        return Audit(method.Name, sharded.Options.Placement.ToName(), result.Model, seconds, details, result.Report.Note);
    }

    /// <summary>Fills in each row's speed-up over retrain.</summary>
    public static IReadOnlyList<ComparisonRow> WithSpeedUps(IReadOnlyList<ComparisonRow> rows)
    {
        var retrainSeconds = rows.First(r => r.Method == "retrain").RuntimeSeconds;
        return rows.Select(r => r with { SpeedUpOverRetrain = retrainSeconds / r.RuntimeSeconds }).ToArray();
    }

    private ComparisonRow Audit(string method, string? placement, IClassifier model, double seconds, IReadOnlyDictionary<string, double> details, string? note)
    {
        var audit = UnlearningAudit.Run(model, data.Train, scenario.Forget, scenario.Retain, data.Test, Retrained, seed);
        return ComparisonRow.From(method, placement, audit, scenario.ForgottenClass, seconds, details, note);
    }
}
