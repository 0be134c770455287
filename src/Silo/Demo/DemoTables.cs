using System.Globalization;
using Spectre.Console;

namespace Lethe.Silo.Demo;

/// <summary>Prints the demo's deletions as tables.</summary>
internal static class DemoTables
{
    public static void Print(IAnsiConsole console, DeletionSummary deletion)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape($"{deletion.Scenario}: {deletion.Method}")) };
        foreach (var column in new[] { "method", "records forgotten", "time", "test acc before", "test acc after", "forget acc before", "forget acc after", "MIA AUC", "retrained MIA AUC" })
            table.AddColumn(new TableColumn(column).RightAligned());
        table.AddRow(
            deletion.Method,
            deletion.RecordsForgotten.ToString("N0", CultureInfo.InvariantCulture),
            $"{deletion.Seconds:F2} s",
            Percent(deletion.TestAccuracyBefore),
            Percent(deletion.TestAccuracyAfter),
            Percent(deletion.ForgetAccuracyBefore),
            Percent(deletion.ForgetAccuracyAfter),
            deletion.MiaAuc.ToString("F3", CultureInfo.InvariantCulture),
            deletion.RetrainedMiaAuc.ToString("F3", CultureInfo.InvariantCulture));
        table.Caption = new TableTitle(Markup.Escape(deletion.Notes));
        console.Write(table);
        console.WriteLine();
    }

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
