using System.Diagnostics;
using System.Numerics.Tensors;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// <see cref="FisherScrub"/> on libtorch, step for step: the same scrub targets and forget pool, the
/// retain-set Fisher (<see cref="TorchFisher"/>) over the same sample, the same shuffles, the gated
/// KL(uniform || softmax) loss and the clamped Fisher-preconditioned step <c>p -= clamp(lr g / (F + α))</c>,
/// the same stopping rules and the same report.
/// </summary>
internal static class TorchScrub
{
    /// <summary>FisherScrub's shuffle stream: the scrub's batches are the blas backend's batches.</summary>
    internal const int ShuffleStream = 2;

    /// <summary>The Fisher scrub of <paramref name="forget"/> from <paramref name="model"/>; the model given is not changed.</summary>
    public static UnlearningResult Unlearn(
        TorchBackend backend, Mlp model, Dataset data, int[] forget, int[] retain, FisherScrubOptions options, long seed, CancellationToken cancellationToken)
    {
        options.Validate();
        UnlearningInputs.Validate(model, data, forget, retain);
        var phases = new List<PhaseTiming>();
        var clock = Stopwatch.StartNew();
        var targets = ScrubTargets.Measure(data, forget, retain, options.MaxRetainedShare);
        var pool = forget.Where(r => targets[data.Labels[r]] < ScrubTargets.NoScrub).ToArray();
        var progress = default(ScrubProgress);
        var scrubbed = model.Clone();
        if (pool.Length > 0)
        {
            var fisher = backend.FisherDiagonal(model, data, retain, options.Fisher, seed, cancellationToken);
            phases.Add(new PhaseTiming("fisher", clock.Elapsed));
            clock.Restart();
            using var torchModel = TorchMlp.FromMlp(model, backend.TorchDevice);
            progress = Scrub(torchModel, data, pool, fisher, targets, options, seed, cancellationToken);
            scrubbed = torchModel.ToMlp();
        }

        phases.Add(new PhaseTiming("scrub", clock.Elapsed));
        return progress.Result(scrubbed, forget.Length, retain.Length, phases, pool.Length, options, targets);
    }

    private static ScrubProgress Scrub(
        TorchMlp model, Dataset data, int[] pool, float[] fisher, float[] targets, FisherScrubOptions options, long seed, CancellationToken cancellationToken)
    {
        // 1 / (F + α), computed on the host as PreconditionedSgd computes it.
        var scale = new float[fisher.Length];
        TensorPrimitives.Add(fisher, options.Damping, scale);
        TensorPrimitives.Reciprocal(scale, scale);
        var scales = model.Slots.Select(s => TorchTensors.From(s.Slot.Of(scale), [.. s.Slot.Shape], model.Device)).ToArray();
        using var thresholds = TorchTensors.From(targets, [targets.Length], model.Device);
        var classes = targets.Length;
        var reader = new BatchReader(data, model.Device);
        var order = (int[])pool.Clone();
        var progress = new ScrubProgress();
        var steps = 0;
        try
        {
            while (progress.Epochs < options.Epochs && steps < options.MaxSteps)
            {
                Seeds.Generator(seed, Seeds.Purpose.Shuffle, ShuffleStream, progress.Epochs).Shuffle(order);
                long active = 0, seen = 0;
                double lossSum = 0;
                for (var start = 0; start < order.Length && steps < options.MaxSteps; start += options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var length = Math.Min(options.BatchSize, order.Length - start);
                    var (input, labels) = reader.Read(order.AsMemory(start, length));
                    model.zero_grad();
                    var logits = model.call(input);
                    var logSumExp = logits.logsumexp(1);
                    var labelProbability = (logits.gather(1, labels.unsqueeze(1)).squeeze(1) - logSumExp).exp();

                    // KL(uniform || softmax) on the rows whose label is still above its class's target, zero on the rest.
                    var gate = labelProbability.gt(thresholds.index_select(0, labels)).to(ScalarType.Float32);
                    var rowLosses = (logSumExp - logits.mean([1]) - MathF.Log(classes)) * gate;
                    rowLosses.sum().div(length).backward();
                    Step(model, scales, options);
                    steps++;
                    using var host = rowLosses.detach().cpu();
                    var losses = host.data<float>().ToArray();
                    lossSum += losses.Sum(l => (double)l);
                    active += losses.Count(l => l != 0f);
                    seen += length;
                }

                progress = progress with
                {
                    Steps = steps,
                    Epochs = progress.Epochs + 1,
                    ActiveFirstEpoch = progress.Epochs == 0 ? (int)active : progress.ActiveFirstEpoch,
                    ActiveLastEpoch = (int)active,
                    MeanLossLastEpoch = lossSum / seen,
                };
                if (active == 0) break;
            }

            return progress;
        }
        finally
        {
            foreach (var s in scales) s.Dispose();
        }
    }

    // p -= clamp(lr · s · g, ±max), in PreconditionedSgd's order of operations.
    private static void Step(TorchMlp model, TorchSharp.torch.Tensor[] scales, FisherScrubOptions options)
    {
        using var noGrad = no_grad();
        foreach (var ((_, parameter), scale) in model.Slots.Zip(scales))
        {
            using var gradient = parameter.grad!;
            using var step = gradient.mul(scale).mul_(options.LearningRate).clamp_(-options.MaxParameterStep, options.MaxParameterStep);
            parameter.sub_(step);
        }
    }
}
