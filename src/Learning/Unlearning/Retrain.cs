using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// M0, the reference: a fresh model of the same architecture, initialised from
/// <c>Seeds.Generator(seed, Initialisation)</c> and trained on the retain set alone with
/// <see cref="TrainingSeed"/>(seed), so the result depends on nothing but the retain set and the seed.
/// </summary>
public sealed class Retrain(RetrainOptions? options = null) : IUnlearningMethod
{
    /// <summary>The settings in use.</summary>
    public RetrainOptions Options { get; } = (options ?? new RetrainOptions()).Validate();

    /// <inheritdoc />
    public string Name => "retrain";

    /// <inheritdoc />
    public UnlearningResult Unlearn(Mlp model, Dataset data, int[] forget, int[] retain, long seed, CancellationToken cancellationToken = default)
    {
        UnlearningInputs.Validate(model, data, forget, retain);
        var clock = Stopwatch.StartNew();
        var training = Options.Training;
        var (fresh, lastLoss) = TrainFresh(model.Sizes, data, retain, training, seed, cancellationToken: cancellationToken);
        var phases = new[] { new PhaseTiming("train", clock.Elapsed) };
        var details = new Dictionary<string, double>
        {
            ["epochs"] = training.Epochs,
            ["samples_trained"] = (double)training.Epochs * retain.Length,
            ["retain_loss_last_epoch"] = lastLoss,
        };
        return new UnlearningResult(fresh, new UnlearningReport(Name, forget.Length, retain.Length, phases, details));
    }

    /// <summary>
    /// A model of <paramref name="sizes"/> initialised from <c>Seeds.Generator(seed, Initialisation)</c> and
    /// trained on <paramref name="records"/> alone with <see cref="TrainingSeed"/>(seed): what retrain
    /// returns, and how a base model is trained on all the records.
    /// </summary>
    public static (Mlp Model, double LastLoss) TrainFresh(
        IReadOnlyList<int> sizes, Dataset data, int[] records, TrainingOptions training, long seed,
        IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var fresh = Mlp.Create(sizes, seed);
        var lastLoss = Trainer.Train(fresh, training.CreateOptimiser(fresh.Parameters.Length), data, records, training, new TrainingSeed(seed), progress, cancellationToken);
        return (fresh, lastLoss);
    }
}
