using System.Globalization;
using Spectre.Console;

namespace Lethe.Silo.Demo;

/// <summary>Prints a demo deletion as a table: each figure before, after, and for a model retrained without the user.</summary>
internal static class DemoTables
{
    public static void Print(IAnsiConsole console, DeletionSummary deletion)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape($"{deletion.Scenario}: {deletion.Method} forgot {deletion.RecordsForgotten:N0} records in {deletion.Seconds:F2} s")) };
        table.AddColumn("figure");
        table.AddColumn(new TableColumn("before").RightAligned());
        table.AddColumn(new TableColumn($"after {deletion.Method}").RightAligned());
        table.AddColumn(new TableColumn("retrained").RightAligned());
        table.AddRow("test accuracy", Percent(deletion.TestAccuracyBefore), Percent(deletion.TestAccuracyAfter), Percent(deletion.RetrainedTestAccuracy));
        table.AddRow("forget accuracy", Percent(deletion.ForgetAccuracyBefore), Percent(deletion.ForgetAccuracyAfter), Percent(deletion.RetrainedForgetAccuracy));
        table.AddRow("MIA AUC (loss threshold)", Number(deletion.MiaAucBefore), Number(deletion.MiaAuc), Number(deletion.RetrainedMiaAuc));
        table.Caption = new TableTitle(Markup.Escape(deletion.Notes));
        console.Write(table);
        console.WriteLine();
    }

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
