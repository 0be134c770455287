using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// NegGrad+FT: gradient ascent on the forget set's cross-entropy (SGD with momentum, stopped at a loss
/// ceiling or a step cap), then a short fine-tuning pass on a sample of the retain set to repair what
/// the ascent broke.
/// </summary>
public sealed class NegGradFineTune(NegGradFineTuneOptions? options = null) : IUnlearningMethod
{
    private const float AscentMomentum = 0.9f;
    private const int AscentStream = 6;
    private const int FineTuneStream = 7;

    /// <summary>The settings in use.</summary>
    public NegGradFineTuneOptions Options { get; } = (options ?? new NegGradFineTuneOptions()).Validate();

    /// <inheritdoc />
    public string Name => "neggrad-ft";

    /// <inheritdoc />
    public UnlearningResult Unlearn(Mlp model, Dataset data, int[] forget, int[] retain, long seed, CancellationToken cancellationToken = default)
    {
        UnlearningInputs.Validate(model, data, forget, retain);
        var phases = new List<PhaseTiming>();
        var clock = Stopwatch.StartNew();
        var unlearned = model.Clone();
        var (steps, lastAscentLoss) = Ascend(unlearned, data, forget, seed, cancellationToken);
        phases.Add(new PhaseTiming("ascent", clock.Elapsed));

        clock.Restart();
        var sample = IndexSampling.Draw(retain, Options.FineTuneSamples, Seeds.Generator(seed, Seeds.Purpose.Sampling, FineTuneStream));
        var fineTune = Options.FineTune;
        var fineTuneLoss = Trainer.Train(
            unlearned, fineTune.CreateOptimiser(unlearned.Parameters.Length), data, sample, fineTune,
            new TrainingSeed(Seeds.Derive(seed, Seeds.Purpose.Shuffle, FineTuneStream)), cancellationToken: cancellationToken);
        phases.Add(new PhaseTiming("fine-tune", clock.Elapsed));

        var details = new Dictionary<string, double>
        {
            ["ascent_steps"] = steps,
            ["forget_loss_last_ascent_batch"] = lastAscentLoss,
            ["fine_tune_samples"] = sample.Length,
            ["retain_loss_last_fine_tune_epoch"] = fineTuneLoss,
        };
        return new UnlearningResult(unlearned, new UnlearningReport(Name, forget.Length, retain.Length, phases, details));
    }

    private (int Steps, double LastLoss) Ascend(Mlp model, Dataset data, int[] forget, long seed, CancellationToken cancellationToken)
    {
        var ceiling = Options.AscentLossCeiling ?? Math.Log(model.OutputSize);
        var optimiser = new SgdMomentum(model.Parameters.Length, Options.AscentLearningRate, AscentMomentum);
        var backprop = new Backpropagation(model, Math.Min(Options.AscentBatchSize, forget.Length));
        var order = (int[])forget.Clone();
        var steps = 0;
        var lastLoss = double.NaN;
        for (var epoch = 0; steps < Options.AscentSteps; epoch++)
        {
            Seeds.Generator(seed, Seeds.Purpose.Shuffle, AscentStream, epoch).Shuffle(order);
            for (var start = 0; start < order.Length && steps < Options.AscentSteps; start += Options.AscentBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsMemory(start, Math.Min(Options.AscentBatchSize, order.Length - start));
                // The loss is measured before the step it drives, so a batch already past the ceiling takes no step.
                lastLoss = backprop.Run(data, batch, CrossEntropyLoss.Instance, sign: -1f);
                if (lastLoss > ceiling) return (steps, lastLoss);
                optimiser.Step(model.Parameters, backprop.Gradients);
                steps++;
            }
        }

        return (steps, lastLoss);
    }
}
