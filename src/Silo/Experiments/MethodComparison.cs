using System.Diagnostics;
using Lethe.Learning.Audits;
using Lethe.Learning.Certified;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;

namespace Lethe.Silo.Experiments;

/// <summary>
/// Runs every unlearning method on one scenario and audits each result against the model retrained
/// without the forget set: retrain's own output for the MLP and sharded methods, a certified model trained
/// from scratch for certified removal.
/// </summary>
internal sealed class MethodComparison(MnistData data, Scenario scenario, long seed)
{
    /// <summary>The single-model methods, in table order; retrain comes first because every audit compares with it.</summary>
    public static readonly string[] SingleModelMethods = ["retrain", "fisher-scrub", "neggrad-ft", "fisher-noise", "influence", "scrub"];

    private readonly Dictionary<ShardedModel, ComparisonReference> shardedReferences = [];
    private ComparisonReference? reference;

    /// <summary>The base model and retrain's model, the ends every MLP row is placed between.</summary>
    public ComparisonReference Reference => reference ?? throw new InvalidOperationException("Run retrain first.");

    /// <summary>Unlearns with <paramref name="method"/> from <paramref name="baseModel"/>, times it and audits the result.</summary>
    public ComparisonRow RunSingleModel(string method, Mlp baseModel)
    {
        var clock = Stopwatch.StartNew();
        var result = UnlearningMethods.Create(method).Unlearn(baseModel, data.Train, scenario.Forget, scenario.Retain, seed);
        var seconds = clock.Elapsed.TotalSeconds;
        var model = new MlpClassifier(result.Model);
        var exact = method == "retrain";
        if (exact) reference = ComparisonReference.Measure(new MlpClassifier(baseModel), model, data, scenario, seed);
        return Audit(method, null, model, Reference, exact, seconds, result.Report.Details, result.Report.Note);
    }

    /// <summary>
    /// Forgets the scenario's records from a trained sharded model (left as it was) with a sharded method,
    /// timed, and audits the result, placed between the sharded model and retrain's model; a replay by
    /// <c>auto</c> is also checked against shards trained from scratch.
    /// </summary>
    public ComparisonRow RunSharded(IShardedUnlearningMethod method, ShardedModel sharded)
    {
        var clock = Stopwatch.StartNew();
        var result = method.Unlearn(sharded, scenario.Forget, seed);
        var seconds = clock.Elapsed.TotalSeconds;
        var details = new Dictionary<string, double>(result.Report.Details) { ["retrained_whole_model"] = result.Path == ExactPath.Retrain ? 1 : 0 };
        if (method is Auto && result.Replay is { } replay)
            details["replay_byte_identical"] = ReplayCheck.MatchesFromScratch(result.Sharded!, replay) ? 1 : 0;
        return Audit(method.Name, sharded.Options.Placement.ToName(), result.Model, ShardedReference(sharded), exact: true, seconds, details, result.Report.Note);
    }

    /// <summary>The sharded model before the deletion (the start of its rows) and retrain's model (their end).</summary>
    private ComparisonReference ShardedReference(ShardedModel sharded)
    {
        if (!shardedReferences.TryGetValue(sharded, out var known))
            shardedReferences[sharded] = known = ComparisonReference.Measure(sharded, Reference.Retrained, data, scenario, seed);
        return known;
    }

    /// <summary>
    /// Removes the scenario's records from <paramref name="certifiedBase"/> (trained on every record) with
    /// certified removal, timed, and audits the result against the same certified model trained from scratch without them.
    /// </summary>
    public ComparisonRow RunCertified(CertifiedModel certifiedBase)
    {
        var clock = Stopwatch.StartNew();
        var result = UnlearningMethods.CreateCertified().Forget(certifiedBase, data.Train, scenario.Forget, scenario.Retain);
        var seconds = clock.Elapsed.TotalSeconds;
        var fromScratch = CertifiedModel.Train(data.Train, scenario.Retain, certifiedBase.Options, seed);
        var certifiedReference = ComparisonReference.Measure(certifiedBase, fromScratch, data, scenario, seed);
        var row = Audit(UnlearningMethods.Certified, null, result.Model, certifiedReference, exact: false, seconds, result.Report.Details, result.Report.Note);
        return row with { Epsilon = result.Guarantee.Epsilon, Delta = result.Guarantee.Delta };
    }

    /// <summary>Fills in each row's speed-up over retrain.</summary>
    public static IReadOnlyList<ComparisonRow> WithSpeedUps(IReadOnlyList<ComparisonRow> rows)
    {
        var retrainSeconds = rows.First(r => r.Method == "retrain").RuntimeSeconds;
        return rows.Select(r => r with { SpeedUpOverRetrain = retrainSeconds / r.RuntimeSeconds }).ToArray();
    }

    private ComparisonRow Audit(
        string method, string? placement, IClassifier model, ComparisonReference against, bool exact, double seconds,
        IReadOnlyDictionary<string, double> details, string? note)
    {
        var audit = UnlearningAudit.Run(model, data.Train, scenario.Forget, scenario.Retain, data.Test, against.Retrained, seed, scenario.AttackNonMembers);
        var kl = exact ? (double?)null : against.KlToRetrained(model, data.Test);
        return ComparisonRow.From(method, placement, audit, against, scenario.ForgottenClass, kl, seconds, details, note);
    }
}
