using System.Diagnostics;
using Lethe.Learning.Audits;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;
using Lethe.Silo.Experiments;
using Lethe.Silo.Reporting;

namespace Lethe.Silo.Demo;

/// <summary>
/// The main job: MNIST owned by 100 Zipf(1.5) users; an 8-shard user-affine SISA model forgets the
/// heaviest user exactly, and a single model forgets the owner of every digit-0 record with fisher-scrub.
/// </summary>
internal sealed class DemoRunner(MnistData data, long seed, IProgressBoard board)
{
    /// <summary>The exact deletion: train the sharded model, forget the heaviest user by replay, and check the replay against a retrain from scratch.</summary>
    public DeletionSummary ForgetHeaviestUserWithSisa(CancellationToken cancellationToken)
    {
        var scenario = Scenario.Mixed(data.Train, seed);
        var options = new ShardingOptions();
        var bars = Enumerable.Range(0, options.Shards)
            .Select(shard => board.Add($"train shard {shard + 1}/{options.Shards}", options.StageEpochs().Sum())).ToArray();
        var sharded = ShardedModel.Train(data.Train, scenario.Ownership, options, seed, progress: ShardBars(bars, options), cancellationToken: cancellationToken);
        foreach (var bar in bars) bar.Complete();

        var before = UnlearningAudit.Run(sharded, data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);
        var plan = sharded.Plan(scenario.Forget);
        var forgetting = board.Add($"forget user {scenario.Users[0]} ({scenario.Forget.Length:N0} records) by replay", Math.Max(1, plan.SamplesToTrain));
        long replayed = 0;
        var report = sharded.Forget(scenario.Forget, new InlineProgress<ShardProgress>(p =>
        {
            replayed += p.Epoch.Samples / p.Epoch.Epoch; // one epoch of the stage just finished
            forgetting.Report(replayed);
        }), cancellationToken);
        forgetting.Complete($"in {report.Duration.TotalSeconds:F2} s");

        var check = board.Add("retrain the affected shards from scratch to check the replay", report.Shards.Count);
        var done = 0;
        var identical = ReplayCheck.MatchesFromScratch(sharded, report, () => check.Report(++done), cancellationToken);
        check.Complete(identical ? "byte-identical" : "DIFFERENT");

        // The replayed ensemble is, shard for shard, the model retrained from scratch (checked above), so it is its own reference.
        var audit = UnlearningAudit.Run(sharded, data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);
        var notes = $"{scenario.Description}; {report.Shards.Count} of {options.Shards} shards updated " +
                    $"({report.Shards.Count(s => s.Plan.Kind == ShardUpdateKind.Drop)} emptied), {report.SamplesTrained:N0} samples replayed; " +
                    $"replayed shards {(identical ? "are byte-identical to" : "DIFFER from")} shards retrained from scratch without the user";
        return new DeletionSummary("mixed ownership, exact", "sisa", scenario.Forget.Length, report.Duration.TotalSeconds, before, audit, audit, notes);
    }

    /// <summary>The approximate deletion: train a single model, retrain a reference without the user, then scrub.</summary>
    public DeletionSummary ForgetDigitOwnerWithFisherScrub(CancellationToken cancellationToken)
    {
        var scenario = Scenario.Exclusive(data.Train, seed);
        var baseModel = TrainWithBar("train the base model on all 60,000 records", data.Train.AllIndices(), cancellationToken);
        var retrainClock = Stopwatch.StartNew();
        var retrained = TrainWithBar($"retrain a reference without user {scenario.Users[0]}", scenario.Retain, cancellationToken);
        var retrainSeconds = retrainClock.Elapsed.TotalSeconds;

        var scrubbing = board.Add($"fisher-scrub user {scenario.Users[0]} ({scenario.Forget.Length:N0} records)", 1);
        var result = new FisherScrub().Unlearn(baseModel, data.Train, scenario.Forget, scenario.Retain, seed, cancellationToken);
        scrubbing.Complete($"in {result.Report.Total.TotalSeconds:F2} s");

        var before = UnlearningAudit.Run(new MlpClassifier(baseModel), data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);
        var after = UnlearningAudit.Run(new MlpClassifier(result.Model), data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);
        var reference = UnlearningAudit.Run(new MlpClassifier(retrained), data.Train, scenario.Forget, scenario.Retain, data.Test, seed: seed);
        var digit = scenario.ForgottenClass!.Value;
        var notes = $"{scenario.Description}; test digit {digit}: {before.TestAccuracyOn(digit):P1} -> {after.TestAccuracyOn(digit):P1}, " +
                    $"other digits: {before.TestAccuracyWithout(digit):P2} -> {after.TestAccuracyWithout(digit):P2}; " +
                    $"{result.Report.Details["steps"]:F0} scrub steps; retraining from scratch took {retrainSeconds:F1} s";
        return new DeletionSummary("exclusive class, approximate", "fisher-scrub", scenario.Forget.Length, result.Report.Total.TotalSeconds, before, after, reference, notes);
    }

    private Mlp TrainWithBar(string name, int[] records, CancellationToken cancellationToken)
    {
        var bar = board.Add(name, Recipes.Base.Epochs);
        var model = Recipes.TrainBase(data.Train, records, seed, new InlineProgress<EpochProgress>(p => bar.Report(p.Epoch, $"loss {p.MeanLoss:F3}")), cancellationToken);
        bar.Complete();
        return model;
    }

    private static InlineProgress<ShardProgress> ShardBars(IProgressBar[] bars, ShardingOptions options)
    {
        var stageEpochs = options.StageEpochs();
        return new(p => bars[p.Shard].Report(stageEpochs.Take(p.Slice).Sum() + p.Epoch.Epoch, $"slice {p.Slice + 1}/{options.Slices}"));
    }
}
