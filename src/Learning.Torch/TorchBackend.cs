using Lethe.Learning.Blas;
using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Learning.Fisher;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;
using TorchSharp;

namespace Lethe.Learning.Torch;

/// <summary>
/// <c>torch</c>: a shard's work on libtorch (TorchSharp), on the CPU or a CUDA GPU, with Lethe's model,
/// recipes, seeds and checkpoint format; deterministic, so a replay from its own checkpoint is exact.
/// </summary>
public sealed class TorchBackend : IComputeBackend
{
    // FisherDiagonal's sampling stream: the torch Fisher is taken over the blas backend's sample.
    private const int FisherSamplingStream = 1;

    private TorchBackend(torch.Device device)
    {
        TorchDevice = device;
    }

    /// <inheritdoc />
    public string Name => "torch";

    /// <inheritdoc />
    public string Device => TorchDevice.type == DeviceType.CUDA ? "cuda" : "cpu";

    /// <inheritdoc />
    /// <remarks>
    /// <c>torch-</c> and libtorch's version, then the device: on the CPU its vector instructions and the
    /// intra-op thread count (libtorch's CPU kernels may round differently for different counts),
    /// on CUDA the GPU model when libtorch names it.
    /// </remarks>
    public string Engine => $"torch-{torch.__version__}/{(TorchDevice.type == DeviceType.CUDA ? CudaDevices.Describe(TorchDevice) : CpuDescription())}";

    /// <summary>The libtorch device the work runs on.</summary>
    internal torch.Device TorchDevice { get; }

    /// <summary>Loads libtorch and takes <paramref name="device"/> (<c>cuda</c> falls back to nothing: asking for it without a GPU is an error).</summary>
    /// <exception cref="InvalidOperationException">libtorch does not load, or CUDA was asked for and is not there.</exception>
    public static TorchBackend Create(ComputeDevice device)
    {
        var type = device switch
        {
            ComputeDevice.Cpu => DeviceType.CPU,
            ComputeDevice.Cuda => DeviceType.CUDA,
            ComputeDevice.Auto => CudaDevices.Available() ? DeviceType.CUDA : DeviceType.CPU,
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "Unknown compute device."),
        };
        return new TorchBackend(TorchRuntime.Initialise(type));
    }

    /// <inheritdoc />
    public ShardRun TrainStages(
        Dataset data, int shard, IReadOnlyList<IReadOnlyList<int>> slices, int fromSlice, ReadOnlyMemory<byte> checkpointBefore,
        ShardingOptions options, long runSeed, IProgress<ShardProgress>? progress, IProgress<TrainedStage>? trained, CancellationToken cancellationToken)
    {
        Synchronise();
        return TorchShardTrainer.Run(data, shard, slices, fromSlice, checkpointBefore.Span, options, runSeed, TorchDevice, Engine, progress, trained, cancellationToken);
    }

    /// <inheritdoc />
    public void Probabilities(Mlp model, Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities)
    {
        Synchronise();
        using var torchModel = TorchMlp.FromMlp(model, TorchDevice);
        new TorchClassifier(torchModel).Probabilities(data, indices, probabilities);
    }

    /// <inheritdoc />
    public float[] FisherDiagonal(Mlp model, Dataset data, ReadOnlySpan<int> indices, FisherOptions options, long seed, CancellationToken cancellationToken)
    {
        options.Validate();
        Synchronise();
        var sample = IndexSampling.Draw(indices, options.MaxSamples, Seeds.Generator(seed, Seeds.Purpose.Sampling, FisherSamplingStream));
        using var torchModel = TorchMlp.FromMlp(model, TorchDevice);
        return TorchFisher.Compute(torchModel, data, sample, options.Kind, options.BatchSize, cancellationToken);
    }

    /// <inheritdoc />
    public UnlearningResult Scrub(Mlp model, Dataset data, int[] forget, int[] retain, FisherScrubOptions options, long seed, CancellationToken cancellationToken)
    {
        Synchronise();
        return TorchScrub.Unlearn(this, model, data, forget, retain, options, seed, cancellationToken);
    }

    /// <summary>Seconds one <paramref name="size"/>^3 float32 product takes on the device (the warm second of two runs), for benchmarks' peak figures.</summary>
    public double TimeSquareProduct(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Synchronise();
        using var scope = torch.NewDisposeScope();
        var a = torch.ones(size, size, device: TorchDevice);
        var b = torch.ones(size, size, device: TorchDevice);
        var seconds = 0.0;
        for (var run = 0; run < 2; run++)
        {
            WaitForDevice();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (a.matmul(b)) WaitForDevice();
            seconds = clock.Elapsed.TotalSeconds;
        }

        return seconds;
    }

    /// <summary>Returns once the device has finished the work queued on it (at once on the CPU).</summary>
    internal void WaitForDevice()
    {
        if (TorchDevice.type == DeviceType.CUDA) torch.cuda.synchronize(TorchDevice);
    }

    // Keeps libtorch's intra-op thread count at the compute pool's, which a host may have changed.
    private void Synchronise() => TorchRuntime.Initialise(TorchDevice.type);

    private static string CpuDescription()
    {
        var features = ProcessorFeatures.Current;
        var vectors = features.Avx512 ? "avx512" : features.Avx2Fma ? "avx2" : "sse";
        return $"cpu-{vectors}/{torch.get_num_threads()}-threads";
    }
}
