using System.Runtime.InteropServices;

namespace Lethe.Learning.Blas;

/// <summary>
/// The process's native environment (libc's <c>environ</c>). On Unix, .NET keeps its own copy of the
/// environment: <see cref="Environment.SetEnvironmentVariable(string, string)"/> never reaches
/// <c>getenv</c> in native libraries, so a variable a native library reads must be set here.
/// </summary>
internal static unsafe class NativeEnvironment
{
    private static readonly Lazy<(nint SetEnv, nint UnsetEnv)> Functions = new(() =>
    {
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) && !NativeLibrary.TryLoad("libc", out libc)) return default;
        return (Export(libc, "setenv"), Export(libc, "unsetenv"));
    });

    /// <summary>Whether the native environment can be changed on this platform.</summary>
    public static bool IsAvailable => Functions.Value.SetEnv != 0 && Functions.Value.UnsetEnv != 0;

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>, or removes it when the value is null.</summary>
    public static void Set(string name, string? value)
    {
        if (!IsAvailable) throw new PlatformNotSupportedException("The native environment cannot be changed on this platform.");
        var nameBytes = Utf8(name);
        int result;
        fixed (byte* n = nameBytes)
        {
            if (value is null)
            {
                result = ((delegate* unmanaged<byte*, int>)Functions.Value.UnsetEnv)(n);
            }
            else
            {
                fixed (byte* v = Utf8(value)) result = ((delegate* unmanaged<byte*, byte*, int, int>)Functions.Value.SetEnv)(n, v, 1);
            }
        }

        if (result != 0) throw new InvalidOperationException($"Could not set {name} in the native environment (errno {Marshal.GetLastSystemError()}).");
    }

    private static nint Export(nint library, string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;

    private static byte[] Utf8(string text) => [.. System.Text.Encoding.UTF8.GetBytes(text), 0];
}
