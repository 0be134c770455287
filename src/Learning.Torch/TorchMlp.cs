using Lethe.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// Lethe's <see cref="Mlp"/> as a libtorch module: the same layers (<c>layers.{i}.weight</c> [outputs, inputs],
/// <c>layers.{i}.bias</c>) with ReLU between them, so its parameters carry the same names and shapes
/// and move between the backends by copying.
/// </summary>
internal sealed class TorchMlp : nn.Module<Tensor, Tensor>
{
    // The field's name is the parameters' prefix: layers.0.weight, layers.0.bias, ...
    private readonly ModuleList<Linear> layers;

    private TorchMlp(IReadOnlyList<int> sizes, Linear[] linears, Device device)
        : base(nameof(TorchMlp))
    {
        Sizes = [.. sizes];
        Device = device;
        layers = nn.ModuleList(linears);
        RegisterComponents();
        var byName = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Slots = Mlp.CreateZeroed(sizes).Slots.Select(slot => (slot, byName[slot.Name])).ToArray();
    }

    /// <summary>Widths from input to output.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Where the parameters live.</summary>
    public Device Device { get; }

    /// <summary>Each of Lethe's tensor slots beside the libtorch parameter of the same name, in Lethe's order.</summary>
    public IReadOnlyList<(TensorSlot Slot, Parameter Parameter)> Slots { get; }

    /// <summary>Each layer's weight [outputs, inputs] and bias, input layer first.</summary>
    public IReadOnlyList<(Parameter Weight, Parameter Bias)> Layers => layers.Select(l => (l.weight!, l.bias!)).ToArray();

    /// <summary>A module on <paramref name="device"/> holding a copy of <paramref name="model"/>'s parameters.</summary>
    public static TorchMlp FromMlp(Mlp model, Device device)
    {
        var linears = model.Layers.Select(layer => nn.Linear(
            ToParameter(layer.Weight, model.Parameters, device),
            ToParameter(layer.Bias, model.Parameters, device))).ToArray();
        return new TorchMlp(model.Sizes, linears, device);
    }

    /// <summary>A copy of the parameters as a Lethe <see cref="Mlp"/>.</summary>
    public Mlp ToMlp()
    {
        var model = Mlp.CreateZeroed(Sizes);
        foreach (var (slot, parameter) in Slots) TorchTensors.CopyTo(parameter, slot.Of(model.Parameters));
        return model;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (var i = 0; i < layers.Count; i++)
        {
            x = layers[i].call(x);
            if (i < layers.Count - 1) x = nn.functional.relu(x);
        }

        return x;
    }

    private static Parameter ToParameter(TensorSlot slot, float[] parameters, Device device)
    {
        using var values = TorchTensors.From(slot.Of(parameters), [.. slot.Shape], device);
        return nn.Parameter(values.detach().clone().DetachFromDisposeScope(), requires_grad: true);
    }
}
