using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Tests;

public class DeletionCostModelTests
{
    // Shards: 1,000 samples a second and 0.25 s a stage; whole model: 500 samples a second, 0.5 s to set up, 5 epochs.
    private static readonly DeletionCostModel Costs = new(
        ShardSamplesPerSecond: 1000, StageSeconds: 0.25, RetrainSamplesPerSecond: 500, RetrainSetupSeconds: 0.5, RetrainEpochs: 5);

    private static readonly ShardUpdatePlan[] TwoShards =
    [
        ShardUpdatePlan.Create(shard: 1, sliceCount: 5, fromSlice: 3, forgotten: 10, remaining: 700, samplesToTrain: 1500, samplesFromScratch: 4000),
        ShardUpdatePlan.Create(shard: 4, sliceCount: 5, fromSlice: 0, forgotten: 30, remaining: 650, samplesToTrain: 4000, samplesFromScratch: 4000),
    ];

    [Fact]
    public void Predictions_are_the_samples_over_the_throughput_plus_the_fixed_costs_of_each_path()
    {
        var costs = Costs.Predict(TwoShards, retainedRecords: 1200);

        // Shard 1 replays 2 stages: 1.5 s + 0.5 s; from scratch 5 stages: 4 s + 1.25 s. Shard 4 replays from slice 0: from scratch.
        Assert.Equal([new ShardCost(1, 2, 5.25), new ShardCost(4, 5.25, 5.25)], costs.Shards);
        Assert.Equal(7.25, costs.ReplaySeconds);
        Assert.Equal(10.5, costs.ShardsFromScratchSeconds);
        Assert.Equal(12.5, costs.RetrainSeconds); // 0.5 s + 5 epochs x 1,200 records / 500 per second
    }

    [Fact]
    public void A_dropped_or_unchanged_shard_costs_nothing_and_an_empty_model_has_nothing_to_retrain()
    {
        ShardUpdatePlan[] dropped = [ShardUpdatePlan.Create(shard: 2, sliceCount: 5, fromSlice: 0, forgotten: 500, remaining: 0, samplesToTrain: 900, samplesFromScratch: 900)];

        Assert.Equal((ShardUpdateKind.Drop, 0, 0L, 0L), (dropped[0].Kind, dropped[0].StagesToTrain, dropped[0].SamplesToTrain, dropped[0].SamplesFromScratch));
        Assert.Equal([new ShardCost(2, 0, 0)], Costs.Predict(dropped, retainedRecords: 100).Shards);
        Assert.Equal(0, Costs.Predict(dropped, retainedRecords: 0).RetrainSeconds);
        Assert.Equal(ExactPath.Replay, ExactPathChoice.Choose(dropped, 100, Costs).Path);
        var unchanged = ShardUpdatePlan.Create(shard: 3, sliceCount: 5, fromSlice: 5, forgotten: 0, remaining: 700, samplesToTrain: 0, samplesFromScratch: 4000);
        Assert.Equal((ShardUpdateKind.Unchanged, 0), (unchanged.Kind, unchanged.StagesToTrain));
        Assert.Equal(0, Costs.Predict([unchanged], 100).ReplaySeconds);
    }

    [Theory]
    [InlineData(1200, ExactPath.Replay)]  // retrain 12.5 s against replay 7.25 s
    [InlineData(675, ExactPath.Replay)]   // 7.25 s each: a tie replays
    [InlineData(674, ExactPath.Retrain)]  // 7.24 s
    [InlineData(0, ExactPath.Replay)]     // nothing left to retrain on
    public void The_choice_is_the_path_with_fewer_predicted_seconds(int retained, ExactPath expected)
    {
        var choice = ExactPathChoice.Choose(TwoShards, retained, Costs);

        Assert.Equal(expected, choice.Path);
        Assert.Equal(7.25, choice.Costs.ReplaySeconds);
        Assert.Equal(Costs.Predict(TwoShards, retained).RetrainSeconds, choice.Costs.RetrainSeconds);
    }

    [Fact]
    public void Bad_figures_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { ShardSamplesPerSecond = 0 }).Predict(TwoShards, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { RetrainSamplesPerSecond = double.NaN }).Predict(TwoShards, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { StageSeconds = -1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { RetrainSetupSeconds = double.PositiveInfinity }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { RetrainEpochs = -1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => Costs.Predict(TwoShards, -1));
    }

    [Fact]
    public void Measuring_times_both_recipes_on_real_training()
    {
        var retrain = new RetrainOptions();

        var measured = DeletionCostModel.Measure(TestData.MnistTrain, new ShardingOptions(), retrain, seed: 3);

        Assert.Equal(retrain.Training.Epochs, measured.RetrainEpochs);
        Assert.InRange(measured.ShardSamplesPerSecond, 1, 1e9);
        Assert.InRange(measured.RetrainSamplesPerSecond, 1, 1e9);
        Assert.InRange(measured.StageSeconds, 0, 10);
        Assert.InRange(measured.RetrainSetupSeconds, 0, 10);
        Assert.Throws<ArgumentException>(() => DeletionCostModel.Measure(TestData.MnistTrain.Subset([1, 2, 3]), new ShardingOptions(), retrain, seed: 3));
    }
}
