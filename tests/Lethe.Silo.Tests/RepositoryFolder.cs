namespace Lethe.Silo.Tests;

/// <summary>The repository the tests were built from: the folder holding <c>Cluster.sln</c>, above the test's build output.</summary>
public static class RepositoryFolder
{
    public static string Path
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Cluster.sln"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>A path under the repository, from its parts.</summary>
    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
