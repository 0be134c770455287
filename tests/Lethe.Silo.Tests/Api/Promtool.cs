using System.Diagnostics;

namespace Lethe.Silo.Tests.Api;

/// <summary>Prometheus' own checker, <c>promtool</c> (Debian's <c>prometheus</c> package; ./scripts/test.sh installs it).</summary>
public static class Promtool
{
    /// <summary><c>promtool check metrics</c> over an exposition.</summary>
    public static Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition) => RunAsync(exposition, "check", "metrics");

    /// <summary><c>promtool ARGUMENTS</c>, with <paramref name="input"/> on its standard input when given.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("promtool is not installed: ./scripts/test.sh installs Debian's prometheus package, which ships it.", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null) await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
    }
}
