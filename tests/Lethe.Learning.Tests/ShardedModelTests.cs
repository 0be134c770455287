using Lethe.Learning.Checkpoints;
using Lethe.Learning.Compute;
using Lethe.Learning.Models;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;
using static Lethe.Learning.Tests.SmallSharding;

namespace Lethe.Learning.Tests;

public class ShardedModelTests
{
    [Theory]
    [InlineData("sgd", PlacementPolicy.UserAffine)]
    [InlineData("adam", PlacementPolicy.UserAffine)]
    [InlineData("sgd", PlacementPolicy.Uniform)]
    public void Replaying_after_deleting_from_a_middle_slice_gives_the_weights_of_training_the_shard_from_scratch_on_its_retain_data(
        string optimiser, PlacementPolicy placement)
    {
        var options = Small with { Placement = placement, Training = Small.Training with { Optimiser = optimiser, LearningRate = optimiser == "sgd" ? 0.05f : 1e-3f } };
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, options, RunSeed);
        const int shard = 1;
        var slices = SlicesOf(model, shard);
        HashSet<int> forget = [.. slices[1].Take(5), .. slices[2].Where((_, i) => i % 7 == 0)];
        var trainedOnForgetSet = ModelCheckpoint.Save(model.ShardModel(shard)!);

        var report = model.Forget(forget);

        var update = Assert.Single(report.Shards);
        Assert.Equal((shard, 1, ShardUpdateKind.Replay, forget.Count), (update.Plan.Shard, update.Plan.FromSlice, update.Plan.Kind, update.Plan.Forgotten));

        // From scratch: fresh weights from the shard's seed, then every stage on the retained records of slices 0..j.
        var reference = Mlp.Create(options.ModelSizes, RunSeed, shard);
        var referenceOptimiser = options.Training.CreateOptimiser(reference.Parameters.Length);
        var cumulative = new List<int>();
        for (var slice = 0; slice < options.Slices; slice++)
        {
            cumulative.AddRange(slices[slice].Where(r => !forget.Contains(r)));
            var stage = options.Training with { Epochs = options.StageEpochs()[slice] };
            Trainer.Train(reference, referenceOptimiser, SmallData.Value, cumulative.ToArray(), stage, new TrainingSeed(RunSeed, shard, slice));
            Assert.Equal(ModelCheckpoint.Save(reference, referenceOptimiser, StageCheckpoint.Metadata(options, RunSeed, shard, slice, BlasBackend.Instance.Engine)), model.Checkpoint(shard, slice).ToArray());
        }

        var replayed = ModelCheckpoint.Save(model.ShardModel(shard)!);
        Assert.Equal(ModelCheckpoint.Save(reference), replayed);
        Assert.NotEqual(trainedOnForgetSet, replayed);
    }

    [Fact]
    public void Two_users_on_one_shard_are_forgotten_by_one_replay_and_other_shards_stay_byte_identical()
    {
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed);
        var (shard, first, second) = TwoWholeUsersOnOneShard(model);
        var forget = SmallOwners.RecordsOf(first, second).ToHashSet();
        var slices = SlicesOf(model, shard);
        var fromSlice = forget.Min(r => model.Locate(r).Slice);
        var untouched = Enumerable.Range(0, Small.Shards).Where(s => s != shard).ToDictionary(s => s, s => AllCheckpoints(model, s));
        var sequential = model.Clone();

        var report = model.Forget(forget);

        var update = Assert.Single(report.Shards);
        Assert.Equal((shard, fromSlice, forget.Count), (update.Plan.Shard, update.Plan.FromSlice, update.Plan.Forgotten));
        long expectedSamples = 0, cumulative = 0;
        for (var slice = 0; slice < Small.Slices; slice++)
        {
            cumulative += slices[slice].Count(r => !forget.Contains(r));
            if (slice >= fromSlice) expectedSamples += 2 * cumulative;
        }

        Assert.Equal(expectedSamples, report.SamplesTrained);
        Assert.Equal(forget.Count, report.Forgotten);
        foreach (var (other, checkpoints) in untouched) Assert.Equal(checkpoints, AllCheckpoints(model, other));

        // One user at a time reaches the same weights (both are exact) but trains more.
        var one = sequential.Forget(SmallOwners.RecordsOf(first));
        var two = sequential.Forget(SmallOwners.RecordsOf(second));
        Assert.Equal(AllCheckpoints(model, shard), AllCheckpoints(sequential, shard));
        Assert.True(one.SamplesTrained + two.SamplesTrained > report.SamplesTrained);
    }

    [Fact]
    public void The_plan_predicts_the_deletion_and_changes_nothing()
    {
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed);
        var users = SmallOwners.UsersByRecordCount().Take(3).ToArray();
        var before = AllCheckpoints(model, 0);

        var plan = model.Plan(SmallOwners.RecordsOf(users));

        Assert.Equal(before, AllCheckpoints(model, 0));
        Assert.Equal(0, model.ForgottenCount);
        var report = model.Forget(SmallOwners.RecordsOf(users));
        Assert.Equal(plan.Shards, report.Shards.Select(s => s.Plan));
        Assert.Equal(plan.SamplesToTrain, report.SamplesTrained);
        Assert.All(report.Shards, s => Assert.Equal(s.Plan.SamplesToTrain, s.SamplesTrained));
        foreach (var update in plan.Shards.Where(s => s.Kind != ShardUpdateKind.Drop))
        {
            var fromScratch = ShardTrainer.Run(SmallData.Value, update.Shard, SlicesOf(model, update.Shard), 0, default, Small, RunSeed);
            Assert.Equal(update.SamplesFromScratch, fromScratch.SamplesTrained);
            Assert.True(update.SamplesFromScratch >= update.SamplesToTrain);
        }
    }

    [Fact]
    public void The_models_plan_is_what_each_shards_own_plan_gives_whatever_the_request_repeats_or_held_before()
    {
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed);
        var heaviest = SmallOwners.UsersByRecordCount();
        model.Forget(SmallOwners.RecordsOf(heaviest[3]));
        int[] request = [.. SmallOwners.RecordsOf(heaviest[..6]), .. SmallOwners.RecordsOf(heaviest[1]), .. Enumerable.Range(0, Records).Where(r => r % 97 == 0)];

        var plan = model.Plan(request);

        var fresh = request.Distinct().Where(r => !model.IsForgotten(r)).Order().ToArray();
        Assert.Equal(fresh, plan.Records);
        Assert.Equal(request.Distinct().Count() - fresh.Length, plan.AlreadyForgotten);
        var byShard = fresh.GroupBy(r => model.Locate(r).Shard).OrderBy(g => g.Key).ToArray();
        Assert.Equal(byShard.Select(g => model.Shard(g.Key).Plan(g)), plan.Shards);
        Assert.Equal(fresh.Length, plan.Shards.Sum(s => s.Forgotten));
        var ascending = model.Plan(request.Distinct().Order().ToArray());
        Assert.Equal(plan.Records, ascending.Records);
        Assert.Equal(plan.AlreadyForgotten, ascending.AlreadyForgotten);
        Assert.Equal(plan.Shards, ascending.Shards);
    }

    [Fact]
    public void A_shard_left_without_records_drops_its_model_and_leaves_the_ensemble()
    {
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed);
        const int emptied = 2;
        var before = model.Clone();

        var report = model.Forget(SlicesOf(model, emptied).SelectMany(s => s));

        var update = Assert.Single(report.Shards);
        Assert.Equal(ShardUpdateKind.Drop, update.Plan.Kind);
        Assert.Equal(0, update.SamplesTrained);
        Assert.Equal(2, model.LiveShardCount);
        Assert.Null(model.ShardModel(emptied));
        Assert.True(model.Checkpoint(emptied, 0).IsEmpty);

        var test = TestData.MnistTest;
        var rows = Enumerable.Range(0, 200).ToArray();
        var expected = new float[rows.Length * 10];
        new EnsembleClassifier([new MlpClassifier(before.ShardModel(0)!), new MlpClassifier(before.ShardModel(1)!)]).Probabilities(test, rows, expected);
        var actual = new float[rows.Length * 10];
        model.Probabilities(test, rows, actual);
        Assert.Equal(expected, actual);

        model.Forget(Enumerable.Range(0, Records));
        Assert.Equal(0, model.LiveShardCount);
        Assert.Throws<InvalidOperationException>(() => model.Probabilities(test, rows, actual));
    }

    [Fact]
    public void Forgetting_records_already_forgotten_is_a_reported_no_op_and_unknown_records_are_an_error()
    {
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed);
        var user = SmallOwners.RecordsOf(SmallOwners.UsersByRecordCount()[4]);
        model.Forget(user);
        var after = Enumerable.Range(0, Small.Shards).Select(s => AllCheckpoints(model, s)).ToArray();

        var again = model.Forget(user);

        Assert.Equal((0, user.Length), (again.Forgotten, again.AlreadyForgotten));
        Assert.Empty(again.Shards);
        Assert.Equal(after, Enumerable.Range(0, Small.Shards).Select(s => AllCheckpoints(model, s)).ToArray());

        var known = Enumerable.Range(0, Records).First(r => !user.Contains(r));
        var error = Assert.Throws<ArgumentException>(() => model.Forget([known, Records, Records + 7]));
        Assert.Contains($"{Records}, {Records + 7}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.Forget([-1]));
        Assert.False(model.IsForgotten(known));
        Assert.All(user, r => Assert.True(model.IsForgotten(r)));
        Assert.Equal(user.Length, model.ForgottenCount);
    }

    [Fact]
    public void A_clone_is_independent_of_the_original()
    {
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed);
        var original = Enumerable.Range(0, Small.Shards).Select(s => AllCheckpoints(model, s)).ToArray();
        var copy = model.Clone();

        var report = copy.Forget(SmallOwners.RecordsOf(SmallOwners.UsersByRecordCount()[0]));

        Assert.NotEmpty(report.Shards);
        Assert.Equal(original, Enumerable.Range(0, Small.Shards).Select(s => AllCheckpoints(model, s)).ToArray());
        Assert.Equal(0, model.ForgottenCount);
        Assert.Equal(report.Forgotten, copy.ForgottenCount);
        Assert.Equal(Small.Shards, model.LiveShardCount);
    }

    [Theory]
    [InlineData(SliceSchedule.Sisa, 5, 2)]
    [InlineData(SliceSchedule.EveryStage, 1, 1)]
    public void Every_stage_trains_the_epochs_of_its_schedule_and_reports_each_of_them_in_order(SliceSchedule schedule, int epochs, int perStage)
    {
        var options = Small with { Schedule = schedule, Training = Small.Training with { Epochs = epochs } };
        var progress = new RecordingProgress();
        ShardedModel.Train(SmallData.Value, SmallOwners, options, RunSeed, progress: progress);

        Assert.Equal(Enumerable.Repeat(perStage, options.Slices), options.StageEpochs());
        var expected = from shard in Enumerable.Range(0, options.Shards)
                       from slice in Enumerable.Range(0, options.Slices)
                       from epoch in Enumerable.Range(1, perStage)
                       select (shard, slice, epoch);
        // Shards train side by side, so only each shard's own reports are in order; a stable sort by shard keeps that order.
        Assert.Equal(expected, progress.Reports.OrderBy(p => p.Shard).Select(p => (p.Shard, p.Slice, p.Epoch.Epoch)));
    }

    [Fact]
    public void A_run_from_any_slice_trains_the_samples_the_plan_counts_from_the_schedule()
    {
        var options = Small with { Schedule = SliceSchedule.EveryStage, Training = Small.Training with { Epochs = 1 } };
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, options, RunSeed);
        const int shard = 0;
        var slices = SlicesOf(model, shard);
        var counts = slices.Select(s => s.Count).ToArray();

        for (var fromSlice = 0; fromSlice < options.Slices; fromSlice++)
        {
            var before = fromSlice == 0 ? default : model.Checkpoint(shard, fromSlice - 1).Span;
            var run = ShardTrainer.Run(SmallData.Value, shard, slices, fromSlice, before, options, RunSeed);
            Assert.Equal(counts.Skip(fromSlice).Select((_, i) => (long)counts.Take(fromSlice + i + 1).Sum()).Sum(), run.SamplesTrained);
            Assert.Equal(ShardTrainer.SamplesToTrain(counts, fromSlice, options), run.SamplesTrained);
            Assert.Equal(model.Checkpoint(shard, options.Slices - 1).ToArray(), run.Checkpoints[^1]);
        }
    }

    [Fact]
    public void A_cancelled_deletion_changes_nothing()
    {
        var model = ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed);
        var before = Enumerable.Range(0, Small.Shards).Select(s => AllCheckpoints(model, s)).ToArray();
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(_ => cancellation.Cancel());

        Assert.ThrowsAny<OperationCanceledException>(() => model.Forget(SmallOwners.RecordsOf(0, 1, 2), progress, cancellation.Token));

        Assert.Single(progress.Reports);
        Assert.Equal(0, model.ForgottenCount);
        Assert.Equal(before, Enumerable.Range(0, Small.Shards).Select(s => AllCheckpoints(model, s)).ToArray());
        Assert.ThrowsAny<OperationCanceledException>(() => ShardedModel.Train(SmallData.Value, SmallOwners, Small, RunSeed, cancellationToken: cancellation.Token));
    }

    [Fact]
    public void Bad_options_and_mismatched_inputs_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => ShardedModel.Train(SmallData.Value, SmallOwners, Small with { Shards = 0 }, RunSeed));
        Assert.ThrowsAny<ArgumentException>(() => ShardedModel.Train(SmallData.Value, SmallOwners, Small with { Slices = 0 }, RunSeed));
        Assert.ThrowsAny<ArgumentException>(() => ShardedModel.Train(SmallData.Value, ZipfOwnership.Create(Records - 1), Small, RunSeed));
        Assert.ThrowsAny<ArgumentException>(() => ShardedModel.Train(SmallData.Value, SmallOwners, Small with { ModelSizes = [784, 10, 3] }, RunSeed));
    }

    private static List<int>[] SlicesOf(ShardedModel model, int shard) =>
        Enumerable.Range(0, model.SliceCount).Select(slice => model.RetainedRecords(shard, slice).ToList()).ToArray();

    private static byte[][] AllCheckpoints(ShardedModel model, int shard) =>
        Enumerable.Range(0, model.SliceCount).Select(slice => model.Checkpoint(shard, slice).ToArray()).ToArray();

    /// <summary>A shard holding two users whole, neither in the shard's first slice, so forgetting them is a replay.</summary>
    private static (int Shard, int First, int Second) TwoWholeUsersOnOneShard(ShardedModel model)
    {
        var candidates = Enumerable.Range(0, SmallOwners.UserCount)
            .Select(user => (User: user, Records: SmallOwners.RecordsOf(user)))
            .Where(u => u.Records.Length > 0)
            .Select(u => (u.User, Shards: u.Records.Select(r => model.Locate(r).Shard).Distinct().ToArray(), FirstSlice: u.Records.Min(r => model.Locate(r).Slice)))
            .Where(u => u.Shards.Length == 1 && u.FirstSlice > 0)
            .GroupBy(u => u.Shards[0])
            .First(g => g.Count() >= 2)
            .OrderBy(u => u.FirstSlice).ThenBy(u => u.User)
            .ToArray();
        return (candidates[0].Shards[0], candidates[0].User, candidates[^1].User);
    }

    private sealed class RecordingProgress(Action<ShardProgress>? onReport = null) : IProgress<ShardProgress>
    {
        private readonly List<ShardProgress> reports = [];

        public IReadOnlyList<ShardProgress> Reports
        {
            get
            {
                lock (reports) return [.. reports];
            }
        }

        public void Report(ShardProgress value)
        {
            lock (reports) reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
