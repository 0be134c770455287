using Lethe.Learning.Checkpoints;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Tests;

public class TrainingTests
{
    private static readonly TrainingOptions Short = new() { Epochs = 2, BatchSize = 64 };

    [Fact]
    public void Five_epochs_of_Adam_reach_97_3_percent_on_MNIST()
    {
        var train = TestData.MnistTrain;
        var model = Mlp.Create(Mlp.DefaultSizes, 1);
        var options = new TrainingOptions { Epochs = 5, BatchSize = 64, LearningRate = 1e-3f };
        Trainer.Train(model, options.CreateOptimiser(model.Parameters.Length), train, train.AllIndices(), options, new TrainingSeed(1));

        var report = Evaluator.Evaluate(new MlpClassifier(model), TestData.MnistTest);

        Assert.True(report.Accuracy >= 0.973, $"test accuracy {report.Accuracy:P2}");
        Assert.All(report.PerClassAccuracy, a => Assert.True(a > 0.93, $"a class at {a:P1}"));
    }

    [Fact]
    public void Two_runs_with_the_same_seed_give_byte_identical_weights()
    {
        var first = TrainSubset(seed: 7);
        var second = TrainSubset(seed: 7);
        Assert.Equal(Bytes(first), Bytes(second));
    }

    [Fact]
    public void A_different_seed_gives_different_weights()
    {
        var first = TrainSubset(seed: 7);
        var other = TrainSubset(seed: 8);
        Assert.NotEqual(Bytes(first), Bytes(other));
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_same_weights_as_training_straight_through()
    {
        var train = TestData.MnistTrain;
        var first = Enumerable.Range(0, 3000).ToArray();
        var second = Enumerable.Range(3000, 3000).ToArray();

        var straight = Mlp.Create(Mlp.DefaultSizes, 3);
        var optimiser = Short.CreateOptimiser(straight.Parameters.Length);
        Trainer.Train(straight, optimiser, train, first, Short, new TrainingSeed(3, Slice: 0));
        var checkpoint = ModelCheckpoint.Save(straight, optimiser);
        Trainer.Train(straight, optimiser, train, second, Short, new TrainingSeed(3, Slice: 1));

        var (resumed, state, _) = ModelCheckpoint.Load(checkpoint);
        var resumedOptimiser = Short.CreateOptimiser(resumed.Parameters.Length);
        resumedOptimiser.LoadState(state!);
        Trainer.Train(resumed, resumedOptimiser, train, second, Short, new TrainingSeed(3, Slice: 1));

        Assert.Equal(Bytes(straight), Bytes(resumed));
    }

    [Fact]
    public void Seeds_differ_by_every_part_of_their_path()
    {
        var seeds = new HashSet<int>
        {
            Seeds.Derive(1, Seeds.Purpose.Shuffle, 0, 0, 0),
            Seeds.Derive(2, Seeds.Purpose.Shuffle, 0, 0, 0),
            Seeds.Derive(1, Seeds.Purpose.Initialisation, 0, 0, 0),
            Seeds.Derive(1, Seeds.Purpose.Shuffle, 1, 0, 0),
            Seeds.Derive(1, Seeds.Purpose.Shuffle, 0, 1, 0),
            Seeds.Derive(1, Seeds.Purpose.Shuffle, 0, 0, 1),
        };
        Assert.Equal(6, seeds.Count);
        Assert.Equal(Seeds.Derive(1, Seeds.Purpose.Shuffle, 0, 0, 1), Seeds.Derive(1, Seeds.Purpose.Shuffle, 0, 0, 1));
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BatchSize = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { LearningRate = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainingOptions { Optimiser = "rmsprop" }.Validate());
    }

    private static Mlp TrainSubset(int seed)
    {
        var model = Mlp.Create(Mlp.DefaultSizes, seed);
        Trainer.Train(model, Short.CreateOptimiser(model.Parameters.Length), TestData.MnistTrain, Enumerable.Range(0, 4000).ToArray(), Short, new TrainingSeed(seed));
        return model;
    }

    private static byte[] Bytes(Mlp model) => ModelCheckpoint.Save(model);
}
