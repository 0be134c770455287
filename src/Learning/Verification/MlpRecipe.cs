using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Verification;

/// <summary>An <see cref="Mlp"/> of <paramref name="Sizes"/> trained as <see cref="Retrain"/> trains one.</summary>
public sealed record MlpRecipe(IReadOnlyList<int> Sizes, TrainingOptions Training) : IRetrainRecipe
{
    /// <summary>The default MLP and the base recipe (5 epochs of Adam, lr 1e-3, batches of 64).</summary>
    public static MlpRecipe Default { get; } = new(Mlp.DefaultSizes, new RetrainOptions().Training);

    /// <inheritdoc />
    public IClassifier Train(Dataset data, int[] records, long seed, CancellationToken cancellationToken = default) =>
        new MlpClassifier(Retrain.TrainFresh(Sizes, data, records, Training, seed, cancellationToken: cancellationToken).Model);
}
