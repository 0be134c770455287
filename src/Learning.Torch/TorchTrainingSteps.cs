using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// One epoch of training on the torch backend, run a range of steps at a time so a benchmark can time
/// parts of it: the very steps <see cref="TorchTrainer"/> takes, on rows already in the device's memory.
/// </summary>
public sealed class TorchTrainingSteps : IDisposable
{
    private readonly TorchBackend backend;
    private readonly TorchMlp model;
    private readonly TorchOptimiser optimiser;
    private readonly Tensor inputs;
    private readonly Tensor targets;
    private readonly int batchSize;

    private TorchTrainingSteps(TorchBackend backend, TorchMlp model, TorchOptimiser optimiser, Tensor inputs, Tensor targets, int rows, int batchSize)
    {
        this.backend = backend;
        this.model = model;
        this.optimiser = optimiser;
        this.inputs = inputs;
        this.targets = targets;
        this.batchSize = batchSize;
        StepCount = (rows + batchSize - 1) / batchSize;
    }

    /// <summary>Steps in the epoch.</summary>
    public int StepCount { get; }

    /// <summary>Prepares an epoch over <paramref name="order"/> (rows of <paramref name="data"/> in training order) from <paramref name="initial"/>.</summary>
    public static TorchTrainingSteps Start(TorchBackend backend, Mlp initial, TrainingOptions options, Dataset data, int[] order)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options.Validate();
        if (order.Length == 0) throw new ArgumentException("An epoch needs at least one row.", nameof(order));
        var model = TorchMlp.FromMlp(initial, backend.TorchDevice);
        model.train();
        var optimiser = TorchOptimiser.Create(model, options);
        var (inputs, targets) = new BatchReader(data, backend.TorchDevice).Read(order);
        return new TorchTrainingSteps(backend, model, optimiser, inputs, targets, order.Length, options.BatchSize);
    }

    /// <summary>Runs steps [<paramref name="first"/>, <paramref name="end"/>) and returns once the device has finished them.</summary>
    public void Run(int first, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, StepCount);
        for (var step = first; step < end; step++)
        {
            using var scope = NewDisposeScope();
            var start = step * batchSize;
            TorchTrainer.Step(model, optimiser, inputs, targets, start, (int)Math.Min(batchSize, inputs.shape[0] - start));
        }

        backend.WaitForDevice();
    }

    /// <summary>The model as trained so far.</summary>
    public Mlp Model() => model.ToMlp();

    /// <inheritdoc />
    public void Dispose()
    {
        inputs.Dispose();
        targets.Dispose();
        optimiser.Dispose();
        model.Dispose();
    }
}
