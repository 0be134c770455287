using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;
using Lethe.Learning.Training;
using TorchSharp.Modules;
using TorchAdam = TorchSharp.Modules.Adam;
using TorchSgd = TorchSharp.Modules.SGD;

namespace Lethe.Learning.Torch;

/// <summary>
/// libtorch's SGD with momentum or Adam over a <see cref="TorchMlp"/>, configured as
/// <see cref="TrainingOptions.CreateOptimiser"/> configures Lethe's, with its state readable and
/// writable as Lethe's <see cref="OptimiserState"/> (one buffer per kind, laid out as the model's parameters).
/// </summary>
internal sealed class TorchOptimiser : IDisposable
{
    private const string Sgd = "sgd";
    private const string Adam = "adam";
    private readonly OptimizerHelper optimizer;
    private readonly TorchMlp model;

    private TorchOptimiser(string name, OptimizerHelper optimizer, TorchMlp model)
    {
        Name = name;
        this.optimizer = optimizer;
        this.model = model;
    }

    /// <summary><c>sgd</c> or <c>adam</c>, as in Lethe's checkpoints.</summary>
    public string Name { get; }

    /// <summary>Steps taken, counting those before a restored state.</summary>
    public long Steps { get; private set; }

    private int ParameterCount => model.Slots.Sum(s => s.Slot.Length);

    /// <summary>The optimiser <paramref name="options"/> names, over <paramref name="model"/>'s parameters.</summary>
    public static TorchOptimiser Create(TorchMlp model, TrainingOptions options)
    {
        options.Validate();
        var parameters = model.Slots.Select(s => s.Parameter).ToArray();
        return options.Optimiser == Sgd
            ? new TorchOptimiser(Sgd, new TorchSgd(parameters, options.LearningRate, options.Momentum), model)
            : new TorchOptimiser(Adam, new TorchAdam(parameters, options.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8), model);
    }

    /// <summary>Clears the gradients the next backward pass accumulates into.</summary>
    public void ZeroGradients() => optimizer.zero_grad();

    /// <summary>One step from the current gradients.</summary>
    public void Step()
    {
        optimizer.step();
        Steps++;
    }

    /// <summary>The state as Lethe's optimisers save it: SGD's <c>momentum</c>, Adam's <c>m</c> and <c>v</c>.</summary>
    public OptimiserState SaveState()
    {
        var states = optimizer.state_dict().State;
        if (Name == Sgd)
        {
            var momentum = new float[ParameterCount];
            foreach (var ((slot, _), state) in model.Slots.Zip(states))
            {
                // Before the first step libtorch has no buffer; Lethe's is zero.
                if (((TorchSgd.State)state).momentum_buffer is { } buffer) TorchTensors.CopyTo(buffer, slot.Of(momentum));
            }

            return new OptimiserState(Name, Steps, new Dictionary<string, float[]> { ["momentum"] = momentum });
        }

        var m = new float[ParameterCount];
        var v = new float[ParameterCount];
        foreach (var ((slot, _), state) in model.Slots.Zip(states))
        {
            var adam = (TorchAdam.State)state;
            TorchTensors.CopyTo(adam.exp_avg, slot.Of(m));
            TorchTensors.CopyTo(adam.exp_avg_sq, slot.Of(v));
        }

        return new OptimiserState(Name, Steps, new Dictionary<string, float[]> { ["m"] = m, ["v"] = v });
    }

    /// <summary>Restores a state saved by either backend for an optimiser of this kind and size.</summary>
    public void LoadState(OptimiserState state)
    {
        if (state.Name != Name) throw new ArgumentException($"Cannot load '{state.Name}' state into {Name}.", nameof(state));
        var names = Name == Sgd ? new[] { "momentum" } : ["m", "v"];
        foreach (var name in names)
        {
            if (!state.Buffers.TryGetValue(name, out var buffer) || buffer.Length != ParameterCount)
                throw new ArgumentException($"The {Name} state has no '{name}' buffer of {ParameterCount} values.", nameof(state));
        }

        var states = optimizer.state_dict().State;
        foreach (var ((slot, parameter), target) in model.Slots.Zip(states))
        {
            if (target is TorchSgd.State sgd)
            {
                sgd.momentum_buffer?.Dispose();
                // A state of no steps has no momentum yet: the first step takes the gradient itself, as Lethe's does.
                sgd.momentum_buffer = state.Steps == 0 ? null : Buffer(state.Buffers["momentum"], slot, parameter);
            }
            else
            {
                var adam = (TorchAdam.State)target;
                adam.step = state.Steps;
                adam.exp_avg.Dispose();
                adam.exp_avg_sq.Dispose();
                adam.exp_avg = Buffer(state.Buffers["m"], slot, parameter);
                adam.exp_avg_sq = Buffer(state.Buffers["v"], slot, parameter);
            }
        }

        Steps = state.Steps;
    }

    /// <inheritdoc />
    public void Dispose() => optimizer.Dispose();

    private static TorchSharp.torch.Tensor Buffer(float[] values, TensorSlot slot, Parameter parameter) =>
        TorchTensors.From(slot.Of(values), [.. slot.Shape], parameter.device).DetachFromDisposeScope();
}
