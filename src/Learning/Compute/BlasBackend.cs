using Lethe.Learning.Blas;
using Lethe.Learning.Data;
using Lethe.Learning.Fisher;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Compute;

/// <summary><c>blas</c>: Lethe's own numeric core, every product an OpenBLAS sgemm, on the CPU. The default.</summary>
public sealed class BlasBackend : IComputeBackend
{
    /// <summary>The shared instance; the backend has no state of its own.</summary>
    public static readonly BlasBackend Instance = new();

    private BlasBackend()
    {
    }

    /// <inheritdoc />
    public string Name => "blas";

    /// <inheritdoc />
    public string Device => "cpu";

    /// <inheritdoc />
    /// <remarks><c>blas/</c> and the OpenBLAS kernel family, e.g. <c>blas/SkylakeX</c>: kernel families may round differently.</remarks>
    public string Engine => $"blas/{OpenBlasLibrary.Instance.Kernel.Core}";

    /// <inheritdoc />
    public ShardRun TrainStages(
        Dataset data, int shard, IReadOnlyList<IReadOnlyList<int>> slices, int fromSlice, ReadOnlyMemory<byte> checkpointBefore,
        ShardingOptions options, long runSeed, IProgress<ShardProgress>? progress, IProgress<TrainedStage>? trained, CancellationToken cancellationToken) =>
        ShardTrainer.Run(data, shard, slices, fromSlice, checkpointBefore.Span, options, runSeed, progress, trained, cancellationToken);

    /// <inheritdoc />
    public void Probabilities(Mlp model, Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities) =>
        new MlpClassifier(model).Probabilities(data, indices, probabilities);

    /// <inheritdoc />
    public float[] FisherDiagonal(Mlp model, Dataset data, ReadOnlySpan<int> indices, FisherOptions options, long seed, CancellationToken cancellationToken) =>
        Fisher.FisherDiagonal.Estimate(model, data, indices, options, seed, cancellationToken);

    /// <inheritdoc />
    public UnlearningResult Scrub(Mlp model, Dataset data, int[] forget, int[] retain, FisherScrubOptions options, long seed, CancellationToken cancellationToken) =>
        new FisherScrub(options).Unlearn(model, data, forget, retain, seed, cancellationToken);
}
