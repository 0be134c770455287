using Lethe.Learning.Sharding;
using Lethe.Learning.Training;

namespace Lethe.Learning.Tests;

public class DeletionCostModelTests
{
    // 1,000 shard samples and 500 retrain samples a second; the whole-model recipe trains 5 epochs.
    private static readonly DeletionCostModel Costs = new(ShardSamplesPerSecond: 1000, RetrainSamplesPerSecond: 500, RetrainEpochs: 5);

    private static readonly ShardUpdatePlan[] TwoShards =
    [
        new(Shard: 1, FromSlice: 3, Forgotten: 10, Remaining: 700, SamplesToTrain: 1500, SamplesFromScratch: 4000),
        new(Shard: 4, FromSlice: 0, Forgotten: 30, Remaining: 650, SamplesToTrain: 4000, SamplesFromScratch: 4000),
    ];

    [Fact]
    public void Predictions_are_the_samples_each_path_trains_over_its_recipe_throughput()
    {
        var costs = Costs.Predict(TwoShards, retainedRecords: 1200);

        Assert.Equal([new ShardCost(1, 1.5, 4), new ShardCost(4, 4, 4)], costs.Shards);
        Assert.Equal(5.5, costs.ReplaySeconds);
        Assert.Equal(8, costs.ShardsFromScratchSeconds);
        Assert.Equal(12, costs.RetrainSeconds); // 5 epochs x 1,200 records / 500 per second
    }

    [Fact]
    public void A_dropped_shard_costs_nothing_to_replay()
    {
        var costs = Costs.Predict([new ShardUpdatePlan(2, 0, 500, 0, 0, 0)], retainedRecords: 100);
        Assert.Equal(0, costs.ReplaySeconds);
        Assert.Equal(ExactPath.Replay, ExactPathChoice.Choose([new ShardUpdatePlan(2, 0, 500, 0, 0, 0)], 100, Costs).Path);
    }

    [Theory]
    [InlineData(1200, ExactPath.Replay)]  // retrain 12 s against replay 5.5 s
    [InlineData(550, ExactPath.Replay)]   // 5.5 s each: a tie replays
    [InlineData(549, ExactPath.Retrain)]  // 5.49 s
    [InlineData(0, ExactPath.Replay)]     // nothing left to retrain on
    public void The_choice_is_the_path_with_fewer_predicted_seconds(int retained, ExactPath expected)
    {
        var choice = ExactPathChoice.Choose(TwoShards, retained, Costs);
        Assert.Equal(expected, choice.Path);
        Assert.Equal((5.5, retained * 5 / 500.0), (choice.Costs.ReplaySeconds, choice.Costs.RetrainSeconds));
    }

    [Fact]
    public void Bad_throughputs_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { ShardSamplesPerSecond = 0 }).Predict(TwoShards, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { RetrainSamplesPerSecond = double.NaN }).Predict(TwoShards, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => (Costs with { RetrainEpochs = -1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => Costs.Predict(TwoShards, -1));
    }

    [Fact]
    public void Measuring_times_both_recipes_on_real_training()
    {
        var options = new ShardingOptions();
        var retrain = new TrainingOptions();

        var measured = DeletionCostModel.Measure(TestData.MnistTrain, options, retrain, seed: 3);

        Assert.Equal(retrain.Epochs, measured.RetrainEpochs);
        Assert.InRange(measured.ShardSamplesPerSecond, 1, 1e9);
        Assert.InRange(measured.RetrainSamplesPerSecond, 1, 1e9);
    }
}
