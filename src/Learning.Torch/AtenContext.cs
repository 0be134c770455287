using System.Runtime.InteropServices;

namespace Lethe.Learning.Torch;

/// <summary>
/// The switches of libtorch's global <c>at::Context</c> that TorchSharp does not expose
/// (its <c>torch.use_deterministic_algorithms</c> is not implemented): called by their C++ names,
/// which is how PyTorch's own Python binding reaches them. On x86-64 Linux a member function takes
/// <c>this</c> as its first argument.
/// </summary>
internal static partial class AtenContext
{
    private const string Library = "libtorch_cpu.so";

    /// <summary>Turns deterministic algorithms on or off, as <c>torch.use_deterministic_algorithms</c> does.</summary>
    public static void SetDeterministicAlgorithms(bool enabled) => SetDeterministicAlgorithms(GlobalContext(), enabled, warnOnly: false);

    /// <summary>Whether deterministic algorithms are on.</summary>
    public static bool DeterministicAlgorithms() => DeterministicAlgorithms(GlobalContext());

    /// <summary>Makes cuDNN choose deterministic kernels, and never by timing them (<c>torch.backends.cudnn.deterministic/benchmark</c>).</summary>
    public static void SetDeterministicCuDnn()
    {
        var context = GlobalContext();
        SetDeterministicCuDnn(context, true);
        SetBenchmarkCuDnn(context, false);
    }

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context26setDeterministicAlgorithmsEbb")]
    private static partial void SetDeterministicAlgorithms(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled, [MarshalAs(UnmanagedType.U1)] bool warnOnly);

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context23deterministicAlgorithmsEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool DeterministicAlgorithms(IntPtr context);

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context21setDeterministicCuDNNEb")]
    private static partial void SetDeterministicCuDnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context17setBenchmarkCuDNNEb")]
    private static partial void SetBenchmarkCuDnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
