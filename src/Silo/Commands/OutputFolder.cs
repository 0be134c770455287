namespace Lethe.Silo.Commands;

/// <summary>A folder a command writes its results to, checked before any work starts.</summary>
internal static class OutputFolder
{
    /// <summary>Creates <paramref name="folder"/> when missing and proves a file can be written there.</summary>
    /// <exception cref="IOException">It cannot be created or written to (the message names <paramref name="option"/>).</exception>
    public static string Prepare(string folder, string option)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".lethe-write-check-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"{option} {folder}: not a folder lethe can write to ({e.Message})", e);
        }
    }
}
