using Lethe.Learning.Checkpoints;
using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Learning.Sharding;
using Lethe.Learning.Threading;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Tests;

public class ShardTests
{
    private const long RunSeed = 23;
    private const int ShardIndex = 2;
    private static readonly Lazy<Dataset> Data = new(() => TestData.MnistTrain);
    private static readonly ShardingOptions Options = new() { Slices = 3, Training = new ShardingOptions().Training with { Epochs = 2 } };

    // Three slices of 400 MNIST records: batches of 64 make products large enough to split over threads.
    private static readonly int[][] Slices = [.. Enumerable.Range(0, 3).Select(s => Enumerable.Range(s * 400, 400).ToArray())];

    [Fact]
    public void Training_and_replaying_give_the_same_bytes_on_one_two_and_three_threads()
    {
        var forget = new[] { 410, 500, 1100 };
        var runs = new[] { 1, 2, 3 }.Select(threads =>
        {
            var previous = ComputePool.Threads;
            ComputePool.Threads = threads;
            try
            {
                var trained = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed);
                var replayed = trained.Forget(Data.Value, forget).Shard;
                return (Trained: AllBytes(trained), Replayed: AllBytes(replayed));
            }
            finally
            {
                ComputePool.Threads = previous;
            }
        }).ToArray();

        Assert.All(runs, run => Assert.Equal(runs[0].Trained, run.Trained));
        Assert.All(runs, run => Assert.Equal(runs[0].Replayed, run.Replayed));
        Assert.NotEqual(runs[0].Trained, runs[0].Replayed);
    }

    [Fact]
    public void Training_and_a_replay_report_each_stage_they_train_with_its_final_checkpoint_as_the_stage_ends()
    {
        var trainedStages = new Recorded();
        var shard = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed, trained: trainedStages);
        var replayedStages = new Recorded();
        var (replayed, _) = shard.Forget(Data.Value, [450], trained: replayedStages);

        Assert.Equal([0, 1, 2], trainedStages.Stages.Select(s => s.Slice));
        Assert.Equal(shard.Checkpoints.Select(c => c.ToArray()), trainedStages.Stages.Select(s => s.Checkpoint));
        Assert.Equal([1, 2], replayedStages.Stages.Select(s => s.Slice)); // the record is in slice 1: stage 0 is not trained again
        Assert.Equal(replayed.Checkpoints.Skip(1).Select(c => c.ToArray()), replayedStages.Stages.Select(s => s.Checkpoint));
        Assert.All(trainedStages.Stages.Concat(replayedStages.Stages), s => Assert.Equal(ShardIndex, s.Shard));
    }

    [Fact]
    public void A_replay_equals_training_the_kept_records_from_scratch_and_the_forgotten_records_leave_the_shard()
    {
        var shard = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed);
        int[] forget = [450, 451, 1000];

        var (replayed, report) = shard.Forget(Data.Value, forget);

        Assert.Equal((ShardUpdateKind.Replay, 1, 3), (report.Plan.Kind, report.Plan.FromSlice, report.Plan.Forgotten));
        var kept = Slices.Select(slice => slice.Where(r => !forget.Contains(r)).ToArray()).ToArray();
        Assert.Equal(AllBytes(Shard.Train(Data.Value, ShardIndex, kept, Options, RunSeed)), AllBytes(replayed));
        Assert.All(forget, r => Assert.False(replayed.Holds(r)));
        Assert.DoesNotContain(replayed.Slices.SelectMany(s => s), forget.Contains);
        Assert.Equal(shard.Checkpoints[0].ToArray(), replayed.Checkpoints[0].ToArray()); // the stage before the earliest affected slice is kept as it was
    }

    [Fact]
    public void Forgetting_records_the_shard_does_not_hold_changes_nothing()
    {
        var shard = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed);
        var (same, report) = shard.Forget(Data.Value, [5000, 5001]);

        Assert.Same(shard, same);
        Assert.Equal(ShardUpdateKind.Unchanged, report.Plan.Kind);
        Assert.Equal(0, report.SamplesTrained);
    }

    [Fact]
    public void A_restored_shard_equals_the_one_persisted_and_replays_the_same()
    {
        var shard = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed);
        var restored = Shard.Restore(ShardIndex, shard.Slices, [.. shard.Checkpoints.Select(c => c.ToArray())], null, default, Options, RunSeed);

        Assert.Equal(AllBytes(shard), AllBytes(restored));
        Assert.Equal(AllBytes(shard.Forget(Data.Value, [900]).Shard), AllBytes(restored.Forget(Data.Value, [900]).Shard));
    }

    [Fact]
    public void A_checkpoint_of_another_seed_shard_or_recipe_is_refused()
    {
        var shard = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed);
        var checkpoints = shard.Checkpoints.Select(c => c.ToArray()).ToArray();

        Assert.Throws<InvalidDataException>(() => Shard.Restore(ShardIndex, shard.Slices, checkpoints, null, default, Options, RunSeed + 1));
        Assert.Throws<InvalidDataException>(() => Shard.Restore(ShardIndex + 1, shard.Slices, checkpoints, null, default, Options, RunSeed));
        var otherRecipe = Options with { Training = Options.Training with { LearningRate = 0.01f } };
        Assert.Throws<InvalidDataException>(() => Shard.Restore(ShardIndex, shard.Slices, checkpoints, null, default, otherRecipe, RunSeed));
        Assert.Throws<InvalidDataException>(() => Shard.Restore(ShardIndex, shard.Slices, checkpoints[..2], null, default, Options, RunSeed));
    }

    [Fact]
    public void Checkpoints_of_another_engine_are_not_replayed_from_the_shard_retrains_instead()
    {
        var shard = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed);
        var foreign = shard.Checkpoints.Select(c => WithEngine(c.ToArray(), "torch/cuda")).ToArray();
        var restored = Shard.Restore(ShardIndex, shard.Slices, foreign, null, default, Options, RunSeed);

        var plan = restored.Plan([1000]);
        var (replayed, _) = restored.Forget(Data.Value, [1000]);

        Assert.Equal((ShardUpdateKind.Retrain, 0), (plan.Kind, plan.FromSlice));
        Assert.Equal(AllBytes(shard.Forget(Data.Value, [1000]).Shard), AllBytes(replayed));
    }

    [Fact]
    public void A_scrub_serves_an_approximate_model_at_once_and_the_replay_replaces_it_with_the_exact_one()
    {
        var shard = Shard.Train(Data.Value, ShardIndex, Slices, Options, RunSeed);
        var forget = Slices.SelectMany(slice => slice).Where(r => Data.Value.Labels[r] == 3).ToArray(); // the shard loses the class

        var (scrubbed, report) = shard.Scrub(Data.Value, forget, new FisherScrubOptions(), RunSeed);

        Assert.False(scrubbed.ServesExactModel);
        Assert.Equal(forget.Length, report.Forgotten);
        Assert.True(report.Details["records_scrubbed"] > 0);
        Assert.NotEqual(shard.ModelBytes(), scrubbed.ModelBytes());
        Assert.Equal(shard.Checkpoints.Select(c => c.ToArray()), scrubbed.Checkpoints.Select(c => c.ToArray()));
        Assert.DoesNotContain(scrubbed.Slices.SelectMany(s => s), forget.Contains); // the records leave the shard at once
        Assert.Equal(0, scrubbed.ApproximateFromSlice);
        var persisted = Shard.Restore(ShardIndex, scrubbed.Slices, [.. scrubbed.Checkpoints.Select(c => c.ToArray())], scrubbed.ApproximateFromSlice, scrubbed.ModelBytes(), Options, RunSeed);
        Assert.Equal(scrubbed.ModelBytes(), persisted.ModelBytes());
        Assert.False(persisted.ServesExactModel);

        var (exact, replay) = persisted.Forget(Data.Value, []); // nothing left to forget, but the scrubbed stages are replayed
        Assert.Equal(ShardUpdateKind.Retrain, replay.Plan.Kind);
        Assert.True(exact.ServesExactModel);
        Assert.Equal(AllBytes(shard.Forget(Data.Value, forget).Shard), AllBytes(exact));
    }

    private static byte[][] AllBytes(Shard shard) => [shard.ModelBytes(), .. shard.Checkpoints.Select(c => c.ToArray())];

    private static byte[] WithEngine(byte[] checkpoint, string engine)
    {
        var document = SafeTensors.Deserialize(checkpoint);
        var metadata = document.Metadata.ToDictionary(p => p.Key, p => p.Value);
        metadata["lethe.engine"] = engine;
        return SafeTensors.Serialize(document.Tensors, metadata);
    }

    // Copies each report when it is made (a report's checkpoint must already be final then).
    private sealed class Recorded : IProgress<TrainedStage>
    {
        public List<(int Shard, int Slice, byte[] Checkpoint)> Stages { get; } = [];

        public void Report(TrainedStage value) => Stages.Add((value.Shard, value.Slice, value.Checkpoint.ToArray()));
    }
}
