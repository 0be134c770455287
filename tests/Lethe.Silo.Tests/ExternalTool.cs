using System.Diagnostics;

namespace Lethe.Silo.Tests;

/// <summary>A command-line tool the tests run (promtool, kubectl), its output captured.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/> (and <paramref name="input"/> on its standard input);
    /// <paramref name="whenMissing"/> says how to get the tool when it is not installed.</summary>
    public static async Task<Result> RunAsync(string tool, string whenMissing, string? input, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed: {whenMissing}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null) await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            return new Result(process.ExitCode, await output, await error);
        }
    }
}
