using System.Runtime.InteropServices;

namespace Lethe.Learning.Blas;

/// <summary>
/// Finds OpenBLAS at run time, exposes the entry points Lethe uses as function pointers, and makes
/// sure its products run on kernels that suit the processor (<see cref="Kernel"/>).
/// </summary>
public sealed unsafe class OpenBlasLibrary
{
    /// <summary>The Debian package that provides the library, named in the error when it is missing.</summary>
    public const string DebianPackage = "libopenblas0-pthread";

    /// <summary>The variable OpenBLAS reads to force a kernel family.</summary>
    public const string CoreTypeVariable = "OPENBLAS_CORETYPE";

    /// <summary>File names tried in order; <c>LETHE_OPENBLAS</c> (a path) is tried first when set.</summary>
    public static readonly IReadOnlyList<string> DefaultCandidates = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll"];

    private static readonly Lazy<OpenBlasLibrary> Shared = new(() => Load(CandidatesFromEnvironment()));

    private readonly delegate* unmanaged<byte*> coreName;
    private readonly delegate* unmanaged<byte*> config;
    private readonly delegate* unmanaged<void> dynamicInit;
    private readonly delegate* unmanaged<void> dynamicQuit;

    private OpenBlasLibrary(IntPtr handle, string name)
    {
        Name = name;
        Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(handle, "cblas_sgemm");
        SetNumThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "openblas_set_num_threads");
        coreName = (delegate* unmanaged<byte*>)OptionalExport(handle, "openblas_get_corename");
        config = (delegate* unmanaged<byte*>)OptionalExport(handle, "openblas_get_config");
        // Exported by DYNAMIC_ARCH builds: the kernel dispatch its load-time constructor sets up, which reads OPENBLAS_CORETYPE.
        dynamicInit = (delegate* unmanaged<void>)OptionalExport(handle, "gotoblas_dynamic_init");
        dynamicQuit = (delegate* unmanaged<void>)OptionalExport(handle, "gotoblas_dynamic_quit");

        // Lethe splits products over its own threads (see Gemm); OpenBLAS's team would compete with them.
        SetNumThreads(1);
        Kernel = ChooseKernel();
    }

    /// <summary>The process-wide instance, loaded on first use.</summary>
    public static OpenBlasLibrary Instance => Shared.Value;

    /// <summary>The file the library was loaded from.</summary>
    public string Name { get; }

    /// <summary>The kernels in use and who chose them.</summary>
    public BlasKernel Kernel { get; private set; }

    internal delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm { get; }

    internal delegate* unmanaged<int, void> SetNumThreads { get; }

    /// <summary>Whether this build can switch kernel families after loading (a DYNAMIC_ARCH build on a platform whose native environment Lethe can set).</summary>
    internal bool CanSwitchKernels => dynamicInit != null && dynamicQuit != null && coreName != null && NativeEnvironment.IsAvailable;

    /// <summary>Loads the first candidate that resolves; throws one clear error naming the package otherwise.</summary>
    public static OpenBlasLibrary Load(IEnumerable<string> candidates)
    {
        var tried = new List<string>();
        foreach (var name in candidates)
        {
            tried.Add(name);
            if (NativeLibrary.TryLoad(name, out var handle))
                return new OpenBlasLibrary(handle, name);
        }

        throw new DllNotFoundException(
            $"OpenBLAS was not found (tried {string.Join(", ", tried)}). " +
            $"Install the Debian package {DebianPackage}: sudo apt-get install -y {DebianPackage}");
    }

    /// <summary>
    /// Loads the kernel family <paramref name="core"/> (null: OpenBLAS's own choice) and returns the
    /// family now in use. Not thread-safe against running products: only for start-up and tests that run alone.
    /// </summary>
    /// <remarks>
    /// OpenBLAS reads OPENBLAS_CORETYPE with getenv when its dispatch initialises, which its constructor
    /// does at load time. So the variable goes into the native environment (the .NET one is a copy on
    /// Unix), and the dispatch is initialised again through the two functions DYNAMIC_ARCH builds
    /// export for it. This keeps the choice inside this process: no re-exec (which would double the
    /// start-up, break test hosts and leave a child behind a killed parent), and children started
    /// from .NET do not inherit it, so they make their own choice.
    /// </remarks>
    internal string SwitchKernel(string? core)
    {
        if (!CanSwitchKernels) throw new NotSupportedException($"OpenBLAS {Name} cannot switch kernels after loading (not a DYNAMIC_ARCH build).");
        NativeEnvironment.Set(CoreTypeVariable, core);
        dynamicQuit();
        dynamicInit();
        return CoreName();
    }

    /// <summary>One product on the kernels in use, unsplit: what the start-up self-check runs.</summary>
    internal void SingleProduct(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Sgemm(101, (int)ta, (int)tb, m, n, k, alpha, pa, Math.Max(1, ta == Transpose.No ? k : m), pb, Math.Max(1, tb == Transpose.No ? n : k), beta, pc, n);
        }
    }

    /// <summary>
    /// Keeps OpenBLAS's choice unless it is a generic kernel on a processor that can run a better one
    /// and the user has not set <see cref="CoreTypeVariable"/>; then loads the better one, checks it
    /// with <see cref="BlasSelfCheck"/>, and goes back to OpenBLAS's choice if it fails.
    /// </summary>
    internal BlasKernel ChooseKernel()
    {
        var chosen = CoreName();
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CoreTypeVariable))) return Describe(chosen, BlasKernelOrigin.User, null);

        var replacement = OpenBlasCores.Replacement(chosen, ProcessorFeatures.Current);
        if (replacement is null) return Describe(chosen, BlasKernelOrigin.OpenBlas, null);
        if (!CanSwitchKernels)
        {
            return Describe(chosen, BlasKernelOrigin.OpenBlas,
                $"OpenBLAS chose its generic {chosen} kernels on a processor that can run {replacement}, and this build cannot switch; " +
                $"set {CoreTypeVariable}={replacement} before starting for full speed.");
        }

        var loaded = SwitchKernel(replacement);
        string? failure = null;
        if (!string.Equals(loaded, replacement, StringComparison.OrdinalIgnoreCase)) failure = $"OpenBLAS loaded {loaded} when asked for {replacement}";
        else if (BlasSelfCheck.Passes(SingleProduct, out failure))
        {
            return Describe(chosen, BlasKernelOrigin.Lethe,
                $"OpenBLAS chose its generic {chosen} kernels on this processor; using {loaded} instead ({CoreTypeVariable} overrides this).");
        }

        var restored = SwitchKernel(null);
        return Describe(chosen, BlasKernelOrigin.OpenBlas,
            $"OpenBLAS's {replacement} kernels failed Lethe's self-check ({failure}); staying on OpenBLAS's own choice, {restored}.");
    }

    private BlasKernel Describe(string openBlasChoice, BlasKernelOrigin origin, string? note) =>
        new(CoreName(), openBlasChoice, origin, config == null ? "OpenBLAS" : Marshal.PtrToStringUTF8((nint)config()) ?? "OpenBLAS", note);

    private string CoreName() => coreName == null ? "unknown" : Marshal.PtrToStringUTF8((nint)coreName())?.Trim() ?? "unknown";

    private static nint OptionalExport(nint handle, string name) => NativeLibrary.TryGetExport(handle, name, out var address) ? address : 0;

    private static IEnumerable<string> CandidatesFromEnvironment()
    {
        var custom = Environment.GetEnvironmentVariable("LETHE_OPENBLAS");
        return string.IsNullOrWhiteSpace(custom) ? DefaultCandidates : [custom, .. DefaultCandidates];
    }
}
