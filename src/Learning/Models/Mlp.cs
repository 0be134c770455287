using Lethe.Learning.Training;

namespace Lethe.Learning.Models;

/// <summary>
/// A multi-layer perceptron with ReLU between layers. All parameters live in one buffer, so an
/// optimiser step, a copy or a checkpoint is a single pass over one array.
/// </summary>
public sealed class Mlp
{
    /// <summary>The default architecture, as in the seed experiments.</summary>
    public static readonly int[] DefaultSizes = [784, 256, 128, 10];

    private Mlp(int[] sizes, DenseLayer[] layers, TensorSlot[] slots, float[] parameters)
    {
        Sizes = sizes;
        Layers = layers;
        Slots = slots;
        Parameters = parameters;
    }

    /// <summary>Widths from input to output, e.g. 784, 256, 128, 10.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>Every named tensor and its place in <see cref="Parameters"/>.</summary>
    public IReadOnlyList<TensorSlot> Slots { get; }

    /// <summary>All weights and biases, laid out as <see cref="Slots"/> says.</summary>
    public float[] Parameters { get; }

    /// <summary>Input width.</summary>
    public int InputSize => Sizes[0];

    /// <summary>Number of classes.</summary>
    public int OutputSize => Sizes[^1];

    /// <summary>
    /// A model with PyTorch's default initialisation for linear layers: weights and biases drawn
    /// uniformly from ±1/sqrt(fan_in), from the generator <c>Seeds.Generator(seed, Initialisation, path)</c>
    /// (a shard passes its index as the path).
    /// </summary>
    public static Mlp Create(IReadOnlyList<int> sizes, long seed, params ReadOnlySpan<int> path)
    {
        var model = CreateZeroed(sizes);
        var random = Seeds.Generator(seed, Seeds.Purpose.Initialisation, path);
        foreach (var layer in model.Layers)
        {
            var bound = 1f / MathF.Sqrt(layer.Inputs);
            foreach (var slot in new[] { layer.Weight, layer.Bias })
            {
                var values = slot.Of(model.Parameters);
                for (var i = 0; i < values.Length; i++) values[i] = ((2f * random.NextSingle()) - 1f) * bound;
            }
        }

        return model;
    }

    /// <summary>A model of the given architecture with every parameter zero.</summary>
    public static Mlp CreateZeroed(IReadOnlyList<int> sizes)
    {
        if (sizes.Count < 2) throw new ArgumentException("An MLP needs at least an input and an output size.", nameof(sizes));
        if (sizes.Any(s => s < 1)) throw new ArgumentException($"Layer sizes must be positive: {string.Join(',', sizes)}.", nameof(sizes));
        var layers = new DenseLayer[sizes.Count - 1];
        var slots = new List<TensorSlot>();
        var offset = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            // Each layer's bias directly follows its weight, so a layer's parameters are one range.
            var weight = new TensorSlot($"layers.{i}.weight", [sizes[i + 1], sizes[i]], offset);
            offset += weight.Length;
            var bias = new TensorSlot($"layers.{i}.bias", [sizes[i + 1]], offset);
            offset += bias.Length;
            slots.Add(weight);
            slots.Add(bias);
            layers[i] = new DenseLayer(sizes[i], sizes[i + 1], relu: i < layers.Length - 1, weight, bias);
        }

        return new Mlp([.. sizes], layers, [.. slots], new float[offset]);
    }

    /// <summary>An independent copy with the same parameters.</summary>
    public Mlp Clone()
    {
        var copy = CreateZeroed(Sizes);
        Parameters.CopyTo(copy.Parameters, 0);
        return copy;
    }
}
