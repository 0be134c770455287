using Lethe.Learning.Data;

namespace Lethe.Learning.Tests;

/// <summary>MNIST for tests, loaded once per test run from LETHE_DATA, the repository's data/ or ../shared/data.</summary>
public static class TestData
{
    private static readonly Lazy<Dataset> Train = new(() => ImageDatasets.Load("mnist", Split.Train, Root()));
    private static readonly Lazy<Dataset> Test = new(() => ImageDatasets.Load("mnist", Split.Test, Root()));

    public static Dataset MnistTrain => Train.Value;

    public static Dataset MnistTest => Test.Value;

    /// <summary>The data folder: LETHE_DATA when set, else found from the repository root (the folder holding Cluster.sln).</summary>
    public static string Root()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DataRoot.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cluster.sln"))) directory = directory.Parent;
        if (directory is null) throw new DirectoryNotFoundException("Cannot find the repository root (Cluster.sln) above the test binaries.");
        var local = Path.Combine(directory.FullName, "data");
        return Directory.Exists(Path.Combine(local, "mnist")) ? local : Path.Combine(directory.FullName, "..", "shared", "data");
    }

    /// <summary>A temporary folder removed on dispose.</summary>
    public static TemporaryFolder TemporaryFolder() => new();
}

public sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lethe-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
