using System.Globalization;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Checkpoints;

/// <summary>A model (and, for resumable training, its optimiser state) as a safetensors file.</summary>
public static class ModelCheckpoint
{
    private const string SizesKey = "lethe.mlp.sizes";
    private const string OptimiserKey = "lethe.optimiser";
    private const string StepsKey = "lethe.optimiser.steps";
    private const string OptimiserPrefix = "optimiser.";

    /// <summary>Serialises the model's tensors under their PyTorch-style names, plus the optimiser's buffers when given.</summary>
    public static byte[] Save(Mlp model, IOptimiser? optimiser = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = model.Slots.Select(s => new NamedTensor(s.Name, s.Shape, s.Of(model.Parameters).ToArray())).ToList();
        var header = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            [SizesKey] = string.Join(',', model.Sizes),
        };
        if (optimiser is not null)
        {
            var state = optimiser.SaveState();
            header[OptimiserKey] = state.Name;
            header[StepsKey] = state.Steps.ToString(CultureInfo.InvariantCulture);
            tensors.AddRange(state.Buffers.Select(b => new NamedTensor(OptimiserPrefix + b.Key, [b.Value.Length], b.Value)));
        }

        return SafeTensors.Serialize(tensors, header);
    }

    /// <summary>Restores a model, and the optimiser state if the file holds one.</summary>
    public static (Mlp Model, OptimiserState? Optimiser, IReadOnlyDictionary<string, string> Metadata) Load(ReadOnlySpan<byte> bytes)
    {
        var document = SafeTensors.Deserialize(bytes);
        if (!document.Metadata.TryGetValue(SizesKey, out var sizesText))
            throw new InvalidDataException($"Checkpoint has no '{SizesKey}' metadata; it was not written by Lethe.");
        var sizes = sizesText.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var model = Mlp.CreateZeroed(sizes);
        foreach (var slot in model.Slots)
        {
            var tensor = document[slot.Name];
            if (!tensor.Shape.SequenceEqual(slot.Shape))
                throw new InvalidDataException($"Tensor '{slot.Name}' has shape [{string.Join(',', tensor.Shape)}]; the model needs [{string.Join(',', slot.Shape)}].");
            tensor.Values.CopyTo(slot.Of(model.Parameters));
        }

        OptimiserState? optimiser = null;
        if (document.Metadata.TryGetValue(OptimiserKey, out var name))
        {
            var buffers = document.Tensors.Where(t => t.Name.StartsWith(OptimiserPrefix, StringComparison.Ordinal))
                .ToDictionary(t => t.Name[OptimiserPrefix.Length..], t => t.Values);
            optimiser = new OptimiserState(name, long.Parse(document.Metadata[StepsKey], CultureInfo.InvariantCulture), buffers);
        }

        return (model, optimiser, document.Metadata);
    }
}
