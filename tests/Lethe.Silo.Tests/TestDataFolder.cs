namespace Lethe.Silo.Tests;

/// <summary>The MNIST folder tests read: <c>LETHE_DATA</c>, else <c>../shared/data</c> beside the repository.</summary>
public static class TestDataFolder
{
    public static string Path
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("LETHE_DATA");
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Cluster.sln"))) directory = directory.Parent;
            return System.IO.Path.Combine(directory!.FullName, "..", "shared", "data");
        }
    }
}
