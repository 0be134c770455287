using Lethe.Learning.Checkpoints;
using Lethe.Learning.Optimisers;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// Lethe's checkpoint format for libtorch models: written and read by <see cref="ModelCheckpoint"/>
/// itself, so a checkpoint from either backend loads in the other.
/// </summary>
internal static class TorchCheckpoint
{
    /// <summary>The model's tensors and, when given, the optimiser's buffers, as Lethe's backend would save them.</summary>
    public static byte[] Save(TorchMlp model, TorchOptimiser? optimiser = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var mlp = model.ToMlp();
        if (optimiser is null) return ModelCheckpoint.Save(mlp, metadata: metadata);

        // Lethe's optimiser of the same kind checks the state and writes it exactly as Lethe's training does.
        IOptimiser lethe = optimiser.Name == "sgd" ? new SgdMomentum(mlp.Parameters.Length) : new Adam(mlp.Parameters.Length);
        lethe.LoadState(optimiser.SaveState());
        return ModelCheckpoint.Save(mlp, lethe, metadata);
    }

    /// <summary>A checkpoint's model on <paramref name="device"/>, and its optimiser state when it holds one.</summary>
    public static (TorchMlp Model, OptimiserState? Optimiser) Load(ReadOnlySpan<byte> bytes, Device device)
    {
        var (model, optimiser, _) = ModelCheckpoint.Load(bytes);
        return (TorchMlp.FromMlp(model, device), optimiser);
    }
}
