using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Fisher;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// M2: from the live model, steps on KL(uniform || softmax) over forget-set batches, each parameter's
/// step scaled by 1/(F_ii + α) with F the retain-set Fisher diagonal and clamped, so parameters the
/// retain set relies on barely move.
/// </summary>
/// <remarks>
/// Only forget records of classes the retain set no longer teaches are scrubbed (see
/// <see cref="ScrubTargets"/>); when there are none the model is returned unchanged, without computing
/// the Fisher. A record stops contributing once its label has no more than chance probability, so the
/// uniform target does not pull a forgotten label back up to 1/C; the scrub ends after
/// <see cref="FisherScrubOptions.MaxSteps"/> steps, or after a pass in which no record was above chance.
/// </remarks>
public sealed class FisherScrub(FisherScrubOptions? options = null) : IUnlearningMethod
{
    private const int ShuffleStream = 2;

    /// <summary>The settings in use.</summary>
    public FisherScrubOptions Options { get; } = (options ?? new FisherScrubOptions()).Validate();

    /// <inheritdoc />
    public string Name => "fisher-scrub";

    /// <inheritdoc />
    public UnlearningResult Unlearn(Mlp model, Dataset data, int[] forget, int[] retain, long seed, CancellationToken cancellationToken = default)
    {
        UnlearningInputs.Validate(model, data, forget, retain);
        var phases = new List<PhaseTiming>();
        var clock = Stopwatch.StartNew();
        var scrubbed = model.Clone();
        var targets = ScrubTargets.Measure(data, forget, retain, Options.MaxRetainedShare);
        var pool = forget.Where(r => targets[data.Labels[r]] < ScrubTargets.NoScrub).ToArray();
        var progress = default(ScrubProgress);
        if (pool.Length > 0)
        {
            var fisher = FisherDiagonal.Estimate(scrubbed, data, retain, Options.Fisher, seed, cancellationToken);
            phases.Add(new PhaseTiming("fisher", clock.Elapsed));
            clock.Restart();
            progress = Scrub(scrubbed, data, pool, fisher, targets, seed, cancellationToken);
        }

        phases.Add(new PhaseTiming("scrub", clock.Elapsed));
        return progress.Result(scrubbed, forget.Length, retain.Length, phases, pool.Length, Options, targets);
    }

    private ScrubProgress Scrub(Mlp model, Dataset data, int[] pool, float[] fisher, float[] targets, long seed, CancellationToken cancellationToken)
    {
        var optimiser = PreconditionedSgd.FromFisher(fisher, Options.Damping, Options.LearningRate, Options.MaxParameterStep);
        var loss = new GatedUniformKlLoss(targets);
        var backprop = new Backpropagation(model, Math.Min(Options.BatchSize, pool.Length));
        var order = (int[])pool.Clone();
        var progress = new ScrubProgress();
        while (progress.Epochs < Options.Epochs && optimiser.Steps < Options.MaxSteps)
        {
            Seeds.Generator(seed, Seeds.Purpose.Shuffle, ShuffleStream, progress.Epochs).Shuffle(order);
            int active = 0, seen = 0;
            double lossSum = 0;
            for (var start = 0; start < order.Length && optimiser.Steps < Options.MaxSteps; start += Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsMemory(start, Math.Min(Options.BatchSize, order.Length - start));
                lossSum += backprop.Run(data, batch, loss, optimiser: optimiser) * batch.Length;
                seen += batch.Length;
                // The gated loss is zero exactly on the rows already at their target.
                active += batch.Length - backprop.Workspace.RowLosses.AsSpan(0, batch.Length).Count(0f);
            }

            progress = progress with
            {
                Steps = (int)optimiser.Steps,
                Epochs = progress.Epochs + 1,
                ActiveFirstEpoch = progress.Epochs == 0 ? active : progress.ActiveFirstEpoch,
                ActiveLastEpoch = active,
                MeanLossLastEpoch = lossSum / seen,
            };
            if (active == 0) break;
        }

        return progress;
    }
}
