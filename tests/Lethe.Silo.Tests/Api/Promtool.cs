namespace Lethe.Silo.Tests.Api;

/// <summary>Prometheus' own checker, <c>promtool</c> (Debian's <c>prometheus</c> package; ./scripts/test.sh installs it).</summary>
public static class Promtool
{
    /// <summary><c>promtool check metrics</c> over an exposition.</summary>
    public static Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition) => RunAsync(exposition, "check", "metrics");

    /// <summary><c>promtool ARGUMENTS</c>, with <paramref name="input"/> on its standard input when given: the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? input, params string[] arguments)
    {
        var result = await ExternalTool.RunAsync("promtool", "./scripts/test.sh installs Debian's prometheus package, which ships it.", input, arguments);
        return (result.ExitCode, result.Output + result.Error);
    }
}
