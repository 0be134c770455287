using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Tests;

/// <summary>
/// One small base model shared by the unlearning tests: the default MLP trained for three epochs on the
/// first 10,000 MNIST training records, and the exclusive scenario over those records (one user owns
/// every zero; forgetting them is forgetting the digit).
/// </summary>
public static class UnlearningScenario
{
    public const int Records = 10_000;
    public const int Seed = 1;

    private static readonly TrainingOptions Recipe = new() { Epochs = 3 };

    public static Dataset Train => TestData.MnistTrain;

    public static int[] Subset { get; } = Enumerable.Range(0, Records).ToArray();

    private static readonly Lazy<Mlp> Trained = new(() => Retrained(Subset));

    /// <summary>The trained base model; tests must not modify it (each method clones).</summary>
    public static Mlp BaseModel => Trained.Value;

    /// <summary>A fresh model trained on <paramref name="records"/> with the base model's recipe and seed: the base model for the whole subset, the gold standard for fewer.</summary>
    public static Mlp Retrained(int[] records)
    {
        var model = Mlp.Create(Mlp.DefaultSizes, Seed);
        Trainer.Train(model, Recipe.CreateOptimiser(model.Parameters.Length), Train, records, Recipe, new TrainingSeed(Seed));
        return model;
    }

    /// <summary>Every zero among the subset.</summary>
    public static int[] Zeros => Subset.Where(i => Train.Labels[i] == 0).ToArray();

    /// <summary>Every other record of the subset.</summary>
    public static int[] NonZeros => Subset.Where(i => Train.Labels[i] != 0).ToArray();
}
