using TorchSharp;

namespace Lethe.Learning.Torch.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void Libtorch_runs_with_deterministic_algorithms_without_tf32_on_the_compute_pools_thread_count()
    {
        _ = TorchCpu.Device;

        Assert.True(AtenContext.DeterministicAlgorithms());
        Assert.False(torch.backends.cuda.matmul.allow_tf32);
        Assert.Equal(Threading.ComputePool.Threads, torch.get_num_threads());
    }

    [Fact]
    public void Asking_for_cuda_where_there_is_none_is_one_clear_error()
    {
        _ = TorchCpu.Device;

        var error = Assert.Throws<InvalidOperationException>(() => TorchRuntime.Initialise(DeviceType.CUDA));

        Assert.StartsWith("The torch backend was asked for CUDA", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda-linux", error.Message, StringComparison.Ordinal);
        Assert.Equal(TorchCpu.Device.type, TorchRuntime.Initialise(DeviceType.CPU).type);
    }
}
