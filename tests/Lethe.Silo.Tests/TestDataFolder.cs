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
            return System.IO.Path.Combine(RepositoryFolder.Path, "..", "shared", "data");
        }
    }
}
