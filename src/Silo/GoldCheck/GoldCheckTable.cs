using System.Globalization;
using Lethe.Silo.Reporting;
using Spectre.Console;

namespace Lethe.Silo.GoldCheck;

/// <summary>The check's figures as a table on a terminal.</summary>
internal static class GoldCheckTable
{
    public static void Print(GoldCheckOutput output)
    {
        var console = ResultConsole.Create();
        var verdict = output.Passed ? "every figure within tolerance" : "OUT OF TOLERANCE";
        var title = $"{output.Method} after deleting {output.Deletions.Count} users ({output.Deleted:N0} of {output.Records:N0} records) against the gold standard: {verdict}";
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumn("figure");
        foreach (var column in new[] { "served", "gold", "gap", "tolerance", "within" }) table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var figure in output.Figures)
        {
            var name = figure.Class is { } c ? $"{figure.Measure} (class {c})" : figure.Measure;
            table.AddRow(name, Number(figure.Served), Number(figure.Gold), Number(figure.Gap), Number(figure.Tolerance), figure.Passed ? "yes" : "[red]NO[/]");
        }

        table.Caption = new TableTitle(Markup.Escape($"gold standard trained in {output.GoldTrainingSeconds:F1} s; seed {output.Seed}"));
        console.Write(table);
        foreach (var deletion in output.Deletions.Where(d => d.Note is not null)) console.WriteLine($"user {deletion.User}: {deletion.Note}");
    }

    private static string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("F4", CultureInfo.InvariantCulture);
}
