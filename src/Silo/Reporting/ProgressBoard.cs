using System.Diagnostics;
using Spectre.Console;

namespace Lethe.Silo.Reporting;

/// <summary>One line of progress on a long piece of work.</summary>
internal interface IProgressBar
{
    /// <summary>Sets how far the work has come (of the total given when the bar was added), with an optional note.</summary>
    void Report(double value, string? note = null);

    /// <summary>Marks the work done.</summary>
    void Complete(string? note = null);
}

/// <summary>Where long work shows its progress.</summary>
internal interface IProgressBoard
{
    /// <summary>Adds a bar for work of size <paramref name="total"/>.</summary>
    IProgressBar Add(string name, double total);
}

/// <summary>
/// Progress bars on stderr when it is a terminal (Spectre.Console); plain, rate-limited lines when it
/// is redirected, so logs and CI stay readable. Results go to stdout, untouched by either.
/// </summary>
internal static class ProgressBoard
{
    private static readonly Lazy<IAnsiConsole> ErrorConsole = new(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));

    /// <summary>Runs <paramref name="work"/> with a board suited to the console.</summary>
    public static T Run<T>(Func<IProgressBoard, T> work)
    {
        if (Console.IsErrorRedirected || !ErrorConsole.Value.Profile.Capabilities.Interactive)
            return work(new PlainBoard(Console.Error));

        return ErrorConsole.Value.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context => work(new SpectreBoard(context)));
    }

    private sealed class SpectreBoard(ProgressContext context) : IProgressBoard
    {
        public IProgressBar Add(string name, double total) => new Bar(context.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1e-9)), name);

        private sealed class Bar(ProgressTask task, string name) : IProgressBar
        {
            public void Report(double value, string? note = null)
            {
                task.Value = value;
                if (note is not null) task.Description = Markup.Escape($"{name} {note}");
            }

            public void Complete(string? note = null)
            {
                task.Value = task.MaxValue;
                if (note is not null) task.Description = Markup.Escape($"{name} {note}");
                task.StopTask();
            }
        }
    }

    private sealed class PlainBoard(TextWriter output) : IProgressBoard
    {
        public IProgressBar Add(string name, double total) => new Bar(output, name, total);

        private sealed class Bar(TextWriter output, string name, double total) : IProgressBar
        {
            private readonly Stopwatch clock = Stopwatch.StartNew();
            private int reportedTenth = -1;

            public void Report(double value, string? note = null)
            {
                var tenth = total <= 0 ? 10 : (int)Math.Floor(10 * Math.Min(value / total, 1));
                if (tenth <= reportedTenth) return;
                reportedTenth = tenth;
                output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {name}: {tenth * 10,3}%{(note is null ? "" : " " + note)}");
            }

            public void Complete(string? note = null) =>
                output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {name}: done{(note is null ? "" : " " + note)}");
        }
    }
}
