using Spectre.Console;

namespace Lethe.Silo.Reporting;

/// <summary>The console results are written to: stdout, without colour codes and at a readable width when redirected.</summary>
internal static class ResultConsole
{
    private const int RedirectedWidth = 120;

    public static IAnsiConsole Create()
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
