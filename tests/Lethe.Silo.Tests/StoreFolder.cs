using Microsoft.Data.Sqlite;

namespace Lethe.Silo.Tests;

/// <summary>A test's temporary folder for store files, removed on (the first) dispose once SQLite's pooled connections have let go of them.</summary>
public sealed class StoreFolder(string prefix) : IDisposable
{
    /// <summary>The folder.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>A path inside the folder.</summary>
    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
