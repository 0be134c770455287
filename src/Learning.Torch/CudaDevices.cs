using System.Runtime.InteropServices;
using TorchSharp;

namespace Lethe.Learning.Torch;

/// <summary>What libtorch can say about CUDA devices beyond what TorchSharp exposes.</summary>
internal static class CudaDevices
{
    // at::cuda::getDeviceProperties(c10::DeviceIndex) in libtorch_cuda; DeviceIndex is int8_t in libtorch 2.x
    // (int16_t before). It returns a cudaDeviceProp*, whose first member is the device's name (char[256]).
    private static readonly string[] DevicePropertiesSymbols = ["_ZN2at4cuda19getDevicePropertiesEa", "_ZN2at4cuda19getDevicePropertiesEs"];

    /// <summary>Whether this build of libtorch has CUDA and a GPU is visible (loads libtorch's CUDA backend when it can).</summary>
    public static bool Available()
    {
        try
        {
            TorchRuntime.Initialise(DeviceType.CUDA);
            return true;
        }
        catch (InvalidOperationException)
        {
            TorchRuntime.Initialise(DeviceType.CPU);
            return false;
        }
    }

    /// <summary><c>cuda/</c> and the GPU's name as the CUDA runtime reports it, or <c>cuda</c> when libtorch does not say.</summary>
    public static string Describe(torch.Device device)
    {
        if (!NativeLibrary.TryLoad("libtorch_cuda.so", typeof(torch).Assembly, null, out var library)) return "cuda";
        foreach (var symbol in DevicePropertiesSymbols)
        {
            if (!NativeLibrary.TryGetExport(library, symbol, out var address)) continue;
            var name = Marshal.PtrToStringUTF8(Properties(address, (sbyte)Math.Max(device.index, 0)));
            return string.IsNullOrWhiteSpace(name) ? "cuda" : $"cuda/{name.Trim().Replace(' ', '-')}";
        }

        return "cuda";
    }

    private static unsafe IntPtr Properties(IntPtr function, sbyte index) => ((delegate* unmanaged<sbyte, IntPtr>)function)(index);
}
