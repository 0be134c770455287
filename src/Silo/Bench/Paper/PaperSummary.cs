using System.Globalization;
using Lethe.Silo.Reporting;
using Spectre.Console;

namespace Lethe.Silo.Bench.Paper;

/// <summary>The paper report as tables on a terminal (the full figures are in paper.json).</summary>
internal static class PaperSummary
{
    public static void Print(PaperReport report)
    {
        var console = ResultConsole.Create();
        foreach (var table in new[] { report.Mixed, report.Exclusive })
        {
            var view = new Table { Title = new TableTitle(Markup.Escape($"{table.Scenario}: forget {table.Description} ({table.Forgotten:N0} records); base test accuracy {table.BaseTestAccuracy:P2}")) };
            foreach (var column in new[] { "method", "retain acc", "forget acc", "test acc", "MIA AUC", "retrained AUC", "runtime s", "speed-up" })
                view.AddColumn(new TableColumn(column).RightAligned());
            foreach (var row in table.Rows)
            {
                view.AddRow(
                    row.Placement is null ? row.Method : $"{row.Method} ({row.Placement})",
                    Percent(row.RetainAccuracy), Percent(row.ForgetAccuracy), Percent(row.TestAccuracy),
                    Number(row.MiaAuc, "F3"), Number(row.RetrainedMiaAuc, "F3"), Number(row.RuntimeSeconds, "F3"), Number(row.SpeedUpOverRetrain, "F1") + "x");
            }

            console.Write(view);
            foreach (var row in table.Rows.Where(r => r.Note is not null)) console.WriteLine($"{row.Method}: {row.Note}");
        }

        var bars = new Table { Title = new TableTitle("Bars") };
        bars.AddColumn("figure").AddColumn("value").AddColumn("bar").AddColumn("met");
        foreach (var bar in report.Bar) bars.AddRow(Markup.Escape(bar.Figure), Number(bar.Value, "G4"), Markup.Escape(bar.Bar), bar.Met ? "yes" : "[red]NO[/]");
        console.Write(bars);
        foreach (var experiment in report.RuntimeExperiments) console.WriteLine($"{experiment.Name}: {experiment.Csv}, {experiment.Svg}");
    }

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
