using System.Runtime.InteropServices;

namespace Lethe.Learning.Blas;

/// <summary>
/// Finds OpenBLAS at run time and exposes the entry points Lethe uses as function pointers.
/// </summary>
public sealed unsafe class OpenBlasLibrary
{
    /// <summary>The Debian package that provides the library, named in the error when it is missing.</summary>
    public const string DebianPackage = "libopenblas0-pthread";

    /// <summary>File names tried in order; <c>LETHE_OPENBLAS</c> (a path) is tried first when set.</summary>
    public static readonly IReadOnlyList<string> DefaultCandidates = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll"];

    private static readonly Lazy<OpenBlasLibrary> Shared = new(() => Load(CandidatesFromEnvironment()));

    private OpenBlasLibrary(IntPtr handle, string name)
    {
        Name = name;
        Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(handle, "cblas_sgemm");
        SetNumThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "openblas_set_num_threads");

        // Lethe splits products over its own threads (see Gemm); OpenBLAS's team would compete with them.
        SetNumThreads(1);
    }

    /// <summary>The process-wide instance, loaded on first use.</summary>
    public static OpenBlasLibrary Instance => Shared.Value;

    /// <summary>The file the library was loaded from.</summary>
    public string Name { get; }

    internal delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm { get; }

    internal delegate* unmanaged<int, void> SetNumThreads { get; }

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

    private static IEnumerable<string> CandidatesFromEnvironment()
    {
        var custom = Environment.GetEnvironmentVariable("LETHE_OPENBLAS");
        return string.IsNullOrWhiteSpace(custom) ? DefaultCandidates : [custom, .. DefaultCandidates];
    }
}
