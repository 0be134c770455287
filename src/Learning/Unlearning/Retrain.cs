using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// M0, the reference: a fresh model of the same architecture, initialised from
/// <c>Seeds.Derive(seed, Initialisation)</c> and trained on the retain set alone with
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
        var fresh = Mlp.Create(model.Sizes, Seeds.Derive(seed, Seeds.Purpose.Initialisation));
        var training = Options.Training;
        var lastLoss = Trainer.Train(
            fresh, training.CreateOptimiser(fresh.Parameters.Length), data, retain, training, new TrainingSeed(seed), cancellationToken: cancellationToken);
        var phases = new[] { new PhaseTiming("train", clock.Elapsed) };
        var details = new Dictionary<string, double>
        {
            ["epochs"] = training.Epochs,
            ["samples_trained"] = (double)training.Epochs * retain.Length,
            ["retain_loss_last_epoch"] = lastLoss,
        };
        return new UnlearningResult(fresh, new UnlearningReport(Name, forget.Length, retain.Length, phases, details));
    }
}
