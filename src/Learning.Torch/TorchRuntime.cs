using System.Runtime.InteropServices;
using Lethe.Learning.Blas;
using Lethe.Learning.Threading;
using TorchSharp;

namespace Lethe.Learning.Torch;

/// <summary>
/// Loads libtorch once per process and sets it up for exact training: deterministic algorithms,
/// deterministic cuDNN without autotuning, no TF32 (float32 products stay float32 on GPUs), and as
/// many intra-op threads as Lethe's compute pool.
/// </summary>
internal static partial class TorchRuntime
{
    /// <summary>libtorch 2.10's native shim needs at least this glibc.</summary>
    private static readonly Version RequiredGlibc = new(2, 38);

    private static readonly Lock Gate = new();
    private static readonly HashSet<DeviceType> Loaded = [];

    /// <summary>Loads libtorch for <paramref name="device"/> and applies the settings above.</summary>
    /// <exception cref="DllNotFoundException">libtorch does not load (with what to do about it).</exception>
    /// <exception cref="InvalidOperationException">CUDA was asked for and this build or machine has none.</exception>
    public static torch.Device Initialise(DeviceType device)
    {
        if (device is not (DeviceType.CPU or DeviceType.CUDA)) throw new ArgumentOutOfRangeException(nameof(device), device, "The torch backend runs on the CPU or on CUDA.");
        lock (Gate)
        {
            if (Loaded.Count == 0)
            {
                // Read by libgomp when libtorch loads and by cuBLAS when its first handle is made, so set in
                // the native environment first; a value the user set wins. Spinning OpenMP workers take the
                // cores from everything else in the process; cuBLAS is deterministic only with a fixed workspace.
                SetDefault("OMP_WAIT_POLICY", "PASSIVE");
                SetDefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8");
                LoadCpu();
                AtenContext.SetDeterministicAlgorithms(true);
                AtenContext.SetDeterministicCuDnn();
                torch.backends.cuda.matmul.allow_tf32 = false;
                torch.backends.cudnn.allow_tf32 = false;
            }

            if (device == DeviceType.CUDA && !Loaded.Contains(DeviceType.CUDA)) LoadCuda();
            if (torch.get_num_threads() != ComputePool.Threads) torch.set_num_threads(ComputePool.Threads);
            return new torch.Device(device);
        }
    }

    private static void LoadCpu()
    {
        // Checked first: a failed load makes TorchSharp print its search to stdout and copy libtorch (500 MB) beside the application.
        var glibc = Glibc();
        if (glibc is not null && glibc < RequiredGlibc)
        {
            throw new DllNotFoundException(
                $"libtorch 2.10 needs glibc >= {RequiredGlibc} and this system has {glibc}: run under the .NET host that scripts/torch-runtime.sh prepares (Debian 13's C runtime, private), or on Debian 13 / Ubuntu 24.04.");
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            Loaded.Add(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            var cause = e;
            while (cause.InnerException is not null) cause = cause.InnerException;
            throw new DllNotFoundException($"libtorch could not be loaded: {cause.Message.Split('\n')[0].Trim()}", e);
        }
    }

    private static void LoadCuda()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                "The torch backend was asked for CUDA, but libtorch's CUDA backend did not start: build with -p:TorchSharpPackage=TorchSharp-cuda-linux and run where a GPU is visible.", e);
        }

        if (!torch.cuda.is_available()) throw new InvalidOperationException("The torch backend was asked for CUDA, but no CUDA device is visible.");
        Loaded.Add(DeviceType.CUDA);
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)) && NativeEnvironment.IsAvailable) NativeEnvironment.Set(name, value);
    }

    private static Version? Glibc()
    {
        try
        {
            return Version.TryParse(Marshal.PtrToStringUTF8(GnuGetLibcVersion()), out var version) ? version : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial IntPtr GnuGetLibcVersion();
}
