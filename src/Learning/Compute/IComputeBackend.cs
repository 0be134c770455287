using Lethe.Learning.Data;
using Lethe.Learning.Fisher;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Compute;

/// <summary>
/// The numeric work one SISA shard needs, on some engine and device: training stages from a
/// checkpoint, predicting, the Fisher diagonal and the Fisher scrub. Models cross the seam as
/// <see cref="Mlp"/> parameters and checkpoints as safetensors bytes in one layout, so a checkpoint
/// written by one backend loads in another.
/// </summary>
public interface IComputeBackend
{
    /// <summary>The engine: <c>blas</c> (Lethe's core on OpenBLAS) or <c>torch</c>.</summary>
    string Name { get; }

    /// <summary>Where the work runs: <c>cpu</c> or <c>cuda</c>.</summary>
    string Device { get; }

    /// <summary>
    /// Names the arithmetic (engine, kernels, device): two trainings with the same engine, seeds and
    /// records give the same bytes. Checkpoints carry it, and a replay only starts from a checkpoint of its own engine.
    /// </summary>
    string Engine { get; }

    /// <summary>
    /// Trains stages <paramref name="fromSlice"/>..R-1 of a shard as <see cref="ShardTrainer"/> defines
    /// them, from fresh weights when <paramref name="fromSlice"/> is 0 and from
    /// <paramref name="checkpointBefore"/> (the checkpoint after stage fromSlice-1) otherwise. Each stage's
    /// checkpoint is reported to <paramref name="trained"/> as soon as the stage ends.
    /// </summary>
    ShardRun TrainStages(
        Dataset data, int shard, IReadOnlyList<IReadOnlyList<int>> slices, int fromSlice, ReadOnlyMemory<byte> checkpointBefore,
        ShardingOptions options, long runSeed, IProgress<ShardProgress>? progress, IProgress<TrainedStage>? trained, CancellationToken cancellationToken);

    /// <summary>Writes the softmax of <paramref name="model"/> for each row in <paramref name="indices"/> (rows x classes).</summary>
    void Probabilities(Mlp model, Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities);

    /// <summary>The Fisher diagonal of <paramref name="model"/> over a seeded sample of <paramref name="indices"/>.</summary>
    float[] FisherDiagonal(Mlp model, Dataset data, ReadOnlySpan<int> indices, FisherOptions options, long seed, CancellationToken cancellationToken);

    /// <summary>The Fisher scrub of <paramref name="forget"/> from <paramref name="model"/> (see <see cref="Unlearning.FisherScrub"/>).</summary>
    UnlearningResult Scrub(Mlp model, Dataset data, int[] forget, int[] retain, FisherScrubOptions options, long seed, CancellationToken cancellationToken);
}
