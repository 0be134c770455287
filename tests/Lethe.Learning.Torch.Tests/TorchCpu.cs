using Lethe.Learning.Compute;
using TorchSharp;

// libtorch's settings and thread pool are process-wide: the torch tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lethe.Learning.Torch.Tests;

/// <summary>libtorch on the CPU, initialised once for the test run as the backend initialises it.</summary>
internal static class TorchCpu
{
    private static readonly Lazy<TorchBackend> Shared = new(() => TorchBackend.Create(ComputeDevice.Cpu));

    public static TorchBackend Backend => Shared.Value;

    public static torch.Device Device => Backend.TorchDevice;
}
