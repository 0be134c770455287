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
        foreach (var table in new[] { report.Mixed, report.Exclusive, report.Mislabelled })
        {
            var title = $"{table.Scenario}: forget {table.Description} ({table.Forgotten:N0} records); base test accuracy {table.BaseTestAccuracy:P2}, " +
                        $"forget loss {table.BaseForgetLoss:F2}, KL to retrained {table.BaseKlToRetrained:F4}";
            var view = new Table { Title = new TableTitle(Markup.Escape(title)) };
            foreach (var column in new[] { "method", "retain acc", "forget acc", "test acc", "forget loss", "MIA AUC", "retrained AUC", "KL to retrained", "runtime s", "speed-up" })
                view.AddColumn(new TableColumn(column).RightAligned());
            foreach (var row in table.Rows)
            {
                view.AddRow(
                    row.Placement is null ? row.Method : $"{row.Method} ({row.Placement})",
                    Percent(row.RetainAccuracy), Percent(row.ForgetAccuracy), Percent(row.TestAccuracy), Number(row.ForgetLoss, "F2"),
                    Number(row.MiaAuc, "F3"), Number(row.RetrainedMiaAuc, "F3"), row.KlToRetrained is { } kl ? Number(kl, "F4") : "-",
                    Number(row.RuntimeSeconds, "F3"), Number(row.SpeedUpOverRetrain, "F1") + "x");
            }

            console.Write(view);
            foreach (var row in table.Rows.Where(r => r.Epsilon is not null))
            {
                console.WriteLine($"{row.Method}: epsilon {row.Epsilon:G3}, delta {row.Delta:G3}; against the certified model trained from scratch " +
                                  $"(test accuracy {row.RetrainedTestAccuracy:P2}, its KL to the certified base {row.BaseKlToRetrained:F4})");
            }

            foreach (var row in table.Rows.Where(r => r.Note is not null)) console.WriteLine($"{row.Method}: {row.Note}");
        }

        var certified = report.CertifiedUserDeletions;
        console.WriteLine($"certified: {certified.Users} lightest users ({certified.RecordsForgotten} records) forgotten one after another, {certified.NewtonSteps} by a Newton step, " +
                          $"{certified.Retrainings} by training again; last epsilon {certified.Deletions[^1].Epsilon:G3}, delta {certified.Deletions[^1].Delta:G3}; test accuracy " +
                          $"{certified.TestAccuracy:P2} against {certified.FromScratchTestAccuracy:P2} trained from scratch (mean KL {certified.KlToFromScratch:G3})");

        var bars = new Table { Title = new TableTitle("Bars") };
        bars.AddColumn("figure").AddColumn("value").AddColumn("bar").AddColumn("met");
        foreach (var bar in report.Bar) bars.AddRow(Markup.Escape(bar.Figure), Number(bar.Value, "G4"), Markup.Escape(bar.Bar), bar.Met ? "yes" : "[red]NO[/]");
        console.Write(bars);
        foreach (var experiment in report.RuntimeExperiments) console.WriteLine($"{experiment.Name}: {experiment.Csv}, {experiment.Svg}");
    }

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
