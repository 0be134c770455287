using System.Diagnostics;
using Lethe.Client;
using Lethe.Grains;
using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Learning.Audits;
using Lethe.Learning.Models;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Silo.Experiments;
using Lethe.Silo.Reporting;

namespace Lethe.Silo.Demo;

/// <summary>
/// The main job, through the cluster: MNIST owned by 100 Zipf(1.5) users. An 8-shard user-affine SISA
/// model forgets the heaviest user exactly; a second one forgets the owner of every digit-0 record
/// with fisher-scrub. Each model is created, trained and asked to forget through the SDK, on a silo
/// running in this process; the audits read the cluster's predictions.
/// </summary>
internal sealed class DemoRunner(MnistData data, long seed, ILetheClient client, IProgressBoard board)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    /// <summary>The exact deletion, checked against the affected shards retrained from scratch here.</summary>
    public async Task<DeletionSummary> ForgetHeaviestUserWithSisa(CancellationToken cancellationToken)
    {
        var scenario = Scenario.Mixed(data.Train, seed);
        var spec = Spec(Placement.UserAffine, new OwnershipSpec(OwnershipKind.Zipf, scenario.Ownership.UserCount, 1.5, null));
        var model = ModelId.Parse("mixed");
        await Train(model, spec, cancellationToken);
        var served = new ClusterClassifier(client, model, data.Train.ClassCount);
        var before = UnlearningAudit.Run(served, data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);

        var deletion = await Forget(UserId.Parse($"user-{scenario.Users[0]}"), UnlearningMethod.Sisa, scenario.Forget.Length, cancellationToken);
        var affected = deletion.ShardVersions[model.Value].Keys.Order().ToArray();
        var check = board.Add($"retrain the {affected.Length} affected shards from scratch here to check the cluster's replay", affected.Length);
        var status = await client.GetModelAsync(model, cancellationToken);
        var layout = ModelLayout.Build(spec, data.Train.Count);
        var forgotten = scenario.Forget.ToHashSet();
        var identical = affected.All(shard =>
        {
            var fromScratch = Shard.Train(data.Train, shard, layout.Slices(shard, forgotten), ModelRecipe.ShardingOptions(spec), seed, cancellationToken: cancellationToken);
            check.Report(Array.IndexOf(affected, shard) + 1);
            return fromScratch.WeightHash() == status.Shards[shard].WeightHash;
        });
        check.Complete(identical ? "byte-identical" : "DIFFERENT");

        // The replayed ensemble is, shard for shard, the model retrained from scratch (checked above), so it is its own reference.
        var after = UnlearningAudit.Run(served, data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);
        var notes = $"{scenario.Description}; {affected.Length} of {spec.Shards} shards updated; " +
                    $"the cluster's replayed shards {(identical ? "are byte-identical to" : "DIFFER from")} shards retrained from scratch without the user; " +
                    $"lifecycle: {Lifecycle.Describe(deletion)}";
        return new DeletionSummary("mixed ownership, exact", "sisa", scenario.Forget.Length, deletion.UnlearnLatencySeconds ?? double.NaN, before, after, after, notes);
    }

    /// <summary>The approximate deletion, beside the SISA model trained here from scratch without the user.</summary>
    public async Task<DeletionSummary> ForgetDigitOwnerWithFisherScrub(CancellationToken cancellationToken)
    {
        var scenario = Scenario.Exclusive(data.Train, seed);
        var owner = scenario.Users[0];
        // Their own ids, so this model's users are not the first model's (a user deleted there stays deleted here).
        string Name(int user) => user == owner ? "digit-0-owner" : $"x-user-{user}";
        var owners = Enumerable.Range(0, data.Train.Count).GroupBy(r => scenario.Ownership.OwnerOf[r]).ToDictionary(g => Name(g.Key), g => g.ToArray());
        // Uniform placement: every shard learns the digit, so the ensemble knows it before the deletion (user-affine would give the one owner one shard).
        var spec = Spec(Placement.Uniform, new OwnershipSpec(OwnershipKind.Explicit, 0, 0, owners));
        var model = ModelId.Parse("exclusive");
        await Train(model, spec, cancellationToken);
        var served = new ClusterClassifier(client, model, data.Train.ClassCount);
        var before = UnlearningAudit.Run(served, data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);

        var deletion = await Forget(UserId.Parse(Name(owner)), UnlearningMethod.FisherScrub, scenario.Forget.Length, cancellationToken);
        var reference = TrainReference(spec, scenario.Forget.ToHashSet(), cancellationToken);
        var after = UnlearningAudit.Run(served, data.Train, scenario.Forget, scenario.Retain, data.Test, reference, seed);
        var referenceAudit = UnlearningAudit.Run(reference, data.Train, scenario.Forget, scenario.Retain, data.Test, reference, seed);
        var digit = scenario.ForgottenClass!.Value;
        var notes = $"{scenario.Description}; test digit {digit}: {before.TestAccuracyOn(digit):P1} -> {after.TestAccuracyOn(digit):P1}, " +
                    $"other digits: {before.TestAccuracyWithout(digit):P2} -> {after.TestAccuracyWithout(digit):P2}; " +
                    $"the reference is the same SISA model trained here from scratch without the user; lifecycle: {Lifecycle.Describe(deletion)}";
        return new DeletionSummary("exclusive class, approximate", "fisher-scrub", scenario.Forget.Length, deletion.UnlearnLatencySeconds ?? double.NaN, before, after, referenceAudit, notes);
    }

    private ModelSpec Spec(Placement placement, OwnershipSpec ownership)
    {
        var defaults = new ShardingOptions();
        return new ModelSpec("mnist", null, defaults.Shards, defaults.Slices, placement, seed, null, ownership);
    }

    // Creates the model and follows its shards until it is ready, a bar per shard.
    private async Task Train(ModelId model, ModelSpec spec, CancellationToken cancellationToken)
    {
        var status = await client.CreateModelAsync(model, spec, cancellationToken);
        var bars = Enumerable.Range(0, spec.Shards).Select(shard => board.Add($"{model}: train shard {shard + 1}/{spec.Shards}", 1)).ToArray();
        var done = new bool[spec.Shards];
        while (true)
        {
            foreach (var shard in status.Shards.Where(s => s.Trained && !done[s.Index]))
            {
                done[shard.Index] = true;
                bars[shard.Index].Complete($"{shard.Records:N0} records");
            }

            if (status.State == ModelState.Failed) throw new InvalidOperationException($"Training model {model} failed: {status.FailureReason}");
            if (status.State == ModelState.Ready) return;
            await Task.Delay(250, cancellationToken);
            status = await client.GetModelAsync(model, cancellationToken);
        }
    }

    private async Task<DeletionStatus> Forget(UserId user, UnlearningMethod method, int records, CancellationToken cancellationToken)
    {
        var bar = board.Add($"forget {user.Value} ({records:N0} records) with {method.ToName()}", 1);
        var clock = Stopwatch.StartNew();
        await client.SubmitDeletionAsync(user, method, cancellationToken);
        var done = await client.WaitForDeletionAsync(DeletionId.ForUser(user), DeletionState.Completed, Patience, cancellationToken);
        if (done.State != DeletionState.Completed) throw new InvalidOperationException($"Deletion {done.Id} ended {done.State}: {done.FailureReason}");
        bar.Complete($"models updated {done.UnlearnLatencySeconds:F2} s after it was accepted; completed after {clock.Elapsed.TotalSeconds:F2} s");
        return done;
    }

    private EnsembleClassifier TrainReference(ModelSpec spec, HashSet<int> forgotten, CancellationToken cancellationToken)
    {
        var bar = board.Add("train the same SISA model here from scratch without the user (the reference)", spec.Shards);
        var layout = ModelLayout.Build(spec, data.Train.Count);
        var options = ModelRecipe.ShardingOptions(spec);
        var shards = new List<IClassifier>();
        for (var shard = 0; shard < spec.Shards; shard++)
        {
            var trained = Shard.Train(data.Train, shard, layout.Slices(shard, forgotten), options, seed, cancellationToken: cancellationToken);
            if (trained.Model is { } weights) shards.Add(new MlpClassifier(weights));
            bar.Report(shard + 1);
        }

        bar.Complete();
        return new EnsembleClassifier(shards, options.Aggregation);
    }
}
