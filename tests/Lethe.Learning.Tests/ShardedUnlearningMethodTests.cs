using Lethe.Learning.Checkpoints;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;
using static Lethe.Learning.Tests.SmallSharding;

namespace Lethe.Learning.Tests;

public class ShardedUnlearningMethodTests
{
    private static readonly Lazy<ShardedModel> Trained = new(() => ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed));
    private static readonly RetrainOptions OneEpoch = new() { Training = new TrainingOptions { Epochs = 1 } };

    // The three lightest users: user-affine placement puts them in early slices, so forgetting them replays.
    private static int[] Forget => SmallOwners.RecordsOf(SmallOwners.UsersByRecordCount()[^3..]);

    [Fact]
    public void Sisa_replays_a_copy_and_leaves_the_model_as_it_was()
    {
        var model = Trained.Value;
        var before = AllCheckpoints(model);

        var result = UnlearningMethods.CreateSharded("sisa").Unlearn(model, Forget, seed: 1);

        Assert.Equal(before, AllCheckpoints(model));
        Assert.Equal(0, model.ForgottenCount);
        Assert.Equal(ExactPath.Replay, result.Path);
        var expected = model.Clone();
        var replay = expected.Forget(Forget);
        Assert.Equal(AllCheckpoints(expected), AllCheckpoints(result.Sharded!));
        Assert.Equal(replay.Shards.Select(s => s.Plan), result.Replay!.Shards.Select(s => s.Plan));
        Assert.Equal((Forget.Length, Records - Forget.Length), (result.Report.Forgotten, result.Report.Retained));
        Assert.Equal(replay.SamplesTrained, result.Report.Details["samples_trained"]);
    }

    [Fact]
    public void Auto_replays_when_replaying_is_predicted_cheaper_and_its_shards_are_those_trained_from_scratch()
    {
        var model = Trained.Value;
        var before = AllCheckpoints(model);
        var replayCheap = new DeletionCostModel(ShardSamplesPerSecond: 1e6, StageSeconds: 0, RetrainSamplesPerSecond: 1e3, RetrainSetupSeconds: 0, RetrainEpochs: 1);
        Assert.Equal(ExactPath.Replay, ExactPathChoice.Choose(model.Plan(Forget).Shards, Records - Forget.Length, replayCheap).Path);

        var result = new Auto(replayCheap, OneEpoch).Unlearn(model, Forget, seed: 1);

        Assert.Equal(before, AllCheckpoints(model));
        Assert.Equal(ExactPath.Replay, result.Path);
        Assert.Contains(result.Replay!.Shards, s => s.Plan.Kind != ShardUpdateKind.Drop);
        foreach (var shard in result.Replay.Shards.Where(s => s.Plan.Kind != ShardUpdateKind.Drop).Select(s => s.Plan.Shard))
        {
            var slices = Enumerable.Range(0, Small.Slices).Select(slice => result.Sharded!.RetainedRecords(shard, slice)).ToArray();
            Assert.All(slices.SelectMany(s => s), r => Assert.DoesNotContain(r, Forget));
            var fromScratch = ShardTrainer.Run(SmallData.Value, shard, slices, 0, default, Small, RunSeed);
            Assert.Equal(fromScratch.Checkpoints, AllCheckpoints(result.Sharded!)[shard]);
        }

        Assert.Equal(["choose", "replay"], result.Report.Phases.Select(p => p.Name));
        Assert.True(result.Report.Details["predicted_replay_seconds"] < result.Report.Details["predicted_retrain_seconds"]);
    }

    [Fact]
    public void Auto_retrains_when_retraining_is_predicted_cheaper_and_returns_what_retrain_returns()
    {
        var model = Trained.Value;
        var retrainCheap = new DeletionCostModel(ShardSamplesPerSecond: 1, StageSeconds: 0, RetrainSamplesPerSecond: 1e9, RetrainSetupSeconds: 0, RetrainEpochs: 1);
        var retain = Enumerable.Range(0, Records).Except(Forget).ToArray();

        var result = new Auto(retrainCheap, OneEpoch).Unlearn(model, Forget, seed: 4);

        Assert.Equal(ExactPath.Retrain, result.Path);
        Assert.Null(result.Sharded);
        Assert.Equal(0, model.ForgottenCount);
        var reference = new Retrain(OneEpoch).Unlearn(Mlp.Create(Small.ModelSizes, 0), SmallData.Value, Forget, retain, seed: 4).Model;
        Assert.Equal(ModelCheckpoint.Save(reference), ModelCheckpoint.Save(result.Retrained!));
        Assert.Equal((Forget.Length, retain.Length), (result.Report.Forgotten, result.Report.Retained));
        Assert.Equal(["choose", "retrain"], result.Report.Phases.Select(p => p.Name));
    }

    [Fact]
    public void Auto_from_the_registry_measures_both_recipes_and_takes_the_path_it_predicts_cheaper()
    {
        var model = Trained.Value;
        // The heaviest user spans early slices of several shards.
        var forget = SmallOwners.RecordsOf(SmallOwners.UsersByRecordCount()[0]);

        var result = UnlearningMethods.CreateSharded("auto").Unlearn(model, forget, seed: 2);

        var replay = result.Report.Details["predicted_replay_seconds"];
        var retrain = result.Report.Details["predicted_retrain_seconds"];
        Assert.True(replay > 0 && retrain > 0);
        Assert.Equal(retrain < replay ? ExactPath.Retrain : ExactPath.Replay, result.Path);
        Assert.Equal(forget.Length, result.Report.Forgotten);
    }

    [Fact]
    public void Misuse_is_rejected_and_changes_nothing()
    {
        var model = Trained.Value;
        var costs = new DeletionCostModel(1, 0, 1, 0, RetrainEpochs: 1);
        foreach (var method in new IShardedUnlearningMethod[] { new Sisa(), new Auto(costs, OneEpoch) })
        {
            Assert.Throws<ArgumentException>(() => method.Unlearn(model, [], 1));
            Assert.Throws<ArgumentException>(() => method.Unlearn(model, [0, Records], 1));
            Assert.Throws<ArgumentNullException>(() => method.Unlearn(null!, [0], 1));
        }

        Assert.Throws<InvalidOperationException>(() => new Auto(costs).Unlearn(model, [0], 1)); // prices a 1-epoch retrain for a 5-epoch recipe
        Assert.Equal(0, model.ForgottenCount);
        Assert.Equal(["sisa", "auto"], UnlearningMethods.ShardedNames);
        Assert.Contains("CreateSharded", Assert.Throws<ArgumentException>(() => UnlearningMethods.Create("auto")).Message, StringComparison.Ordinal);
        Assert.Contains("(Create)", Assert.Throws<ArgumentException>(() => UnlearningMethods.CreateSharded("retrain")).Message, StringComparison.Ordinal);
        Assert.Contains("sisa", Assert.Throws<ArgumentException>(() => UnlearningMethods.CreateSharded("nope")).Message, StringComparison.Ordinal);
    }

    private static byte[][][] AllCheckpoints(ShardedModel model) =>
        Enumerable.Range(0, model.ShardCount)
            .Select(shard => Enumerable.Range(0, model.SliceCount).Select(slice => model.Checkpoint(shard, slice).ToArray()).ToArray())
            .ToArray();
}
