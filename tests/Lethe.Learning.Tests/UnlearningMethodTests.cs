using Lethe.Learning.Checkpoints;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Tests;

/// <summary>What every method must do whatever its algorithm: refuse bad input, leave its input alone, be deterministic.</summary>
public class UnlearningMethodTests
{
    private const int Features = 6;
    private const int Classes = 3;

    public static TheoryData<string> Methods => new(UnlearningMethods.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Misuse_is_rejected_before_any_work(string name)
    {
        var method = UnlearningMethods.Create(name);
        var model = Mlp.Create([Features, 5, 4, Classes], seed: 3);
        var data = TinyDataset(30);
        var forget = new[] { 0, 1, 2 };
        var retain = Enumerable.Range(3, 27).ToArray();
        var wide = new Dataset(new byte[30 * 7], new int[30], 7, Classes, Normalisation.UnitScale);

        Assert.Throws<ArgumentException>(() => method.Unlearn(model, data, [], retain, 1));
        Assert.Throws<ArgumentException>(() => method.Unlearn(model, data, forget, [], 1));
        Assert.Throws<ArgumentException>(() => method.Unlearn(model, wide, forget, retain, 1));
        Assert.Throws<ArgumentException>(() => method.Unlearn(Mlp.Create([Features, 5, 4], seed: 3), data, forget, retain, 1));
        Assert.Throws<ArgumentException>(() => method.Unlearn(model, data, [0, 30], retain, 1));
        Assert.Throws<ArgumentException>(() => method.Unlearn(model, data, forget, [3, 4, -1], 1));
        Assert.Throws<ArgumentException>(() => method.Unlearn(model, data, forget, [2, 3, 4], 1));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_input_model_is_left_untouched_and_the_same_seed_gives_the_same_model(string name)
    {
        var method = UnlearningMethods.Create(name);
        var model = Mlp.Create([Features, 5, 4, Classes], seed: 3);
        var data = TinyDataset(60);
        var forget = data.AllIndices().Where(i => data.Labels[i] == 0).ToArray();
        var retain = data.AllIndices().Where(i => data.Labels[i] != 0).ToArray();
        var before = ModelCheckpoint.Save(model);

        var first = method.Unlearn(model, data, forget, retain, 5);
        var second = method.Unlearn(model, data, forget, retain, 5);

        Assert.Equal(before, ModelCheckpoint.Save(model));
        Assert.NotSame(model, first.Model);
        Assert.NotSame(model.Parameters, first.Model.Parameters);
        Assert.NotEqual(before, ModelCheckpoint.Save(first.Model));
        Assert.Equal(ModelCheckpoint.Save(first.Model), ModelCheckpoint.Save(second.Model));
        Assert.Equal(name, first.Report.Method);
        Assert.Equal((forget.Length, retain.Length), (first.Report.Forgotten, first.Report.Retained));
        Assert.NotEmpty(first.Report.Phases);
    }

    [Fact]
    public void The_factory_knows_every_method_by_its_name_and_rejects_others()
    {
        Assert.Equal(["retrain", "fisher-scrub", "neggrad-ft", "fisher-noise", "influence", "scrub"], UnlearningMethods.Names);
        Assert.Equal([.. UnlearningMethods.Names, .. UnlearningMethods.ShardedNames, "certified"], UnlearningMethods.AllNames);
        Assert.Equal("certified", UnlearningMethods.CreateCertified().Name);
        Assert.Contains("CreateCertified", Assert.Throws<ArgumentException>(() => UnlearningMethods.Create("certified")).Message, StringComparison.Ordinal);
        Assert.Contains("CreateCertified", Assert.Throws<ArgumentException>(() => UnlearningMethods.CreateSharded("certified")).Message, StringComparison.Ordinal);
        foreach (var name in UnlearningMethods.Names) Assert.Equal(name, UnlearningMethods.Create(name).Name);
        var error = Assert.Throws<ArgumentException>(() => UnlearningMethods.Create("sisa-typo"));
        Assert.Contains("fisher-scrub", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FisherScrub(new FisherScrubOptions { Damping = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FisherScrub(new FisherScrubOptions { MaxSteps = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FisherScrub(new FisherScrubOptions { MaxRetainedShare = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FisherNoise(new FisherNoiseOptions { MaxStandardDeviation = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NegGradFineTune(new NegGradFineTuneOptions { AscentLearningRate = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Retrain(new RetrainOptions { Training = new TrainingOptions { BatchSize = 0 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Influence(new InfluenceOptions { Damping = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Influence(new InfluenceOptions { MaxIterations = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scrub(new ScrubOptions { MaxEpochs = 4, Epochs = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scrub(new ScrubOptions { Temperature = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scrub(new ScrubOptions { ForgetKlCeiling = -1 }));
    }

    [Fact]
    public void Retrain_depends_only_on_the_retain_set_and_the_seed()
    {
        var data = TestData.MnistTrain;
        var options = new RetrainOptions { Training = new TrainingOptions { Epochs = 1 } };
        var retain = Enumerable.Range(0, 2000).ToArray();
        var model = Mlp.Create(Mlp.DefaultSizes, seed: 99);

        var retrained = new Retrain(options).Unlearn(model, data, [2000, 2001], retain, seed: 4).Model;
        var otherForget = new Retrain(options).Unlearn(Mlp.Create(Mlp.DefaultSizes, seed: 98), data, Enumerable.Range(2000, 500).ToArray(), retain, seed: 4).Model;
        var direct = Mlp.Create(Mlp.DefaultSizes, 4);
        Trainer.Train(direct, options.Training.CreateOptimiser(direct.Parameters.Length), data, retain, options.Training, new TrainingSeed(4));
        var otherSeed = new Retrain(options).Unlearn(model, data, [2000, 2001], retain, seed: 5).Model;

        Assert.Equal(ModelCheckpoint.Save(direct), ModelCheckpoint.Save(retrained));
        Assert.Equal(ModelCheckpoint.Save(direct), ModelCheckpoint.Save(otherForget));
        Assert.NotEqual(ModelCheckpoint.Save(direct), ModelCheckpoint.Save(otherSeed));
        Assert.True(Evaluator.Evaluate(new MlpClassifier(retrained), TestData.MnistTest).Accuracy > 0.8);
    }

    private static Dataset TinyDataset(int count)
    {
        var random = new Random(21);
        var pixels = new byte[count * Features];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => i % Classes).ToArray();
        return new Dataset(pixels, labels, Features, Classes, new Normalisation(0.5f, 0.25f));
    }
}
