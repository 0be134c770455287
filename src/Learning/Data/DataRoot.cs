namespace Lethe.Learning.Data;

/// <summary>
/// Finds the folder that holds the datasets: the explicit path, then <c>LETHE_DATA</c>, then
/// <c>./data</c>, then <c>../shared/data</c>; the first that exists wins.
/// </summary>
public static class DataRoot
{
    /// <summary>Environment variable naming the data folder.</summary>
    public const string EnvironmentVariable = "LETHE_DATA";

    /// <summary>The candidate folders in the order they are tried.</summary>
    public static IReadOnlyList<string> Candidates(string? explicitPath)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(explicitPath)) candidates.Add(explicitPath);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) candidates.Add(fromEnvironment);
        candidates.Add("data");
        candidates.Add(Path.Combine("..", "shared", "data"));
        return candidates;
    }

    /// <summary>The folder that holds <paramref name="datasetName"/> (e.g. <c>mnist</c>).</summary>
    /// <exception cref="DirectoryNotFoundException">No candidate holds it; the message lists what was tried.</exception>
    public static string Resolve(string datasetName, string? explicitPath = null)
    {
        var candidates = Candidates(explicitPath);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            // An explicit path is the user's choice: do not fall back silently when it is wrong.
            var chosen = Path.Combine(explicitPath, datasetName);
            return Directory.Exists(chosen)
                ? Path.GetFullPath(chosen)
                : throw new DirectoryNotFoundException($"Dataset '{datasetName}' not found in {Path.GetFullPath(explicitPath)} (expected folder {Path.GetFullPath(chosen)}).");
        }

        foreach (var root in candidates)
        {
            var folder = Path.Combine(root, datasetName);
            if (Directory.Exists(folder)) return Path.GetFullPath(folder);
        }

        throw new DirectoryNotFoundException(
            $"Dataset '{datasetName}' not found; tried {string.Join(", ", candidates.Select(c => Path.GetFullPath(Path.Combine(c, datasetName))))}. " +
            $"Pass --data DIR or set {EnvironmentVariable}.");
    }
}
