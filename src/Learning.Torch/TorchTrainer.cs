using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Training;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// Mini-batch training on libtorch with Lethe's recipe: each epoch's order is
/// <see cref="Trainer.Shuffle"/> with <see cref="TrainingSeed.ForEpoch"/>, batches are gathered and
/// normalised by Lethe's <see cref="Dataset"/>, the loss is the batch's mean softmax cross-entropy, so
/// both backends see the same batches in the same order.
/// </summary>
internal static class TorchTrainer
{
    /// <summary>Trains <paramref name="model"/> in place on the rows <paramref name="indices"/> of <paramref name="data"/>.</summary>
    /// <returns>The mean loss of the last epoch (NaN when nothing was trained).</returns>
    public static double Train(
        TorchMlp model, TorchOptimiser optimiser, Dataset data, ReadOnlySpan<int> indices, TrainingOptions options,
        TrainingSeed seed, IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (indices.IsEmpty || options.Epochs == 0) return double.NaN;
        model.train();
        var reader = new BatchReader(data, model.Device);
        var order = new int[indices.Length];
        var clock = Stopwatch.StartNew();
        var lastLoss = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            Trainer.Shuffle(indices, seed.ForEpoch(epoch), order);
            var (inputs, targets) = reader.Read(order);
            using var epochInputs = inputs;
            using var epochTargets = targets;

            // Summed on the device and read once an epoch, so a GPU is not made to wait every step.
            using var lossSum = zeros(1, ScalarType.Float64, model.Device);
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var length = Math.Min(options.BatchSize, order.Length - start);
                var loss = Step(model, optimiser, inputs, targets, start, length);
                lossSum.add_(loss.detach().to(ScalarType.Float64), alpha: length);
            }

            lastLoss = lossSum.item<double>() / order.Length;
            progress?.Report(new EpochProgress(epoch + 1, options.Epochs, lastLoss, (long)(epoch + 1) * order.Length, clock.Elapsed));
        }

        return lastLoss;
    }

    /// <summary>One optimiser step on rows [start, start + length) of an epoch's inputs; returns the batch's mean loss.</summary>
    public static Tensor Step(TorchMlp model, TorchOptimiser optimiser, Tensor inputs, Tensor targets, int start, int length)
    {
        optimiser.ZeroGradients();
        var loss = nn.functional.cross_entropy(model.call(inputs.narrow(0, start, length)), targets.narrow(0, start, length));
        loss.backward();
        optimiser.Step();
        return loss;
    }
}
