using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;

namespace Lethe.Silo.Experiments;

/// <summary>The base model of the seed experiments and the helpers that train it with progress.</summary>
internal static class Recipes
{
    /// <summary><c>retrain</c>'s settings, whose recipe is also the base model's.</summary>
    public static readonly RetrainOptions RetrainDefaults = new();

    /// <summary>5 epochs of Adam, lr 1e-3, batches of 64: the recipe of the base model and of <c>retrain</c>.</summary>
    public static readonly TrainingOptions Base = RetrainDefaults.Training;

    /// <summary>Trains the default MLP on <paramref name="records"/> with the base recipe.</summary>
    public static Mlp TrainBase(Dataset train, int[] records, long seed, IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Retrain.TrainFresh(Mlp.DefaultSizes, train, records, Base, seed, progress, cancellationToken).Model;
}
