using System.Text.Json;
using Lethe.Learning.Verification;

namespace Lethe.Silo.GoldCheck;

/// <summary>One deletion the served model took before the check.</summary>
internal sealed record GoldCheckDeletion(int User, int Records, double Seconds, IReadOnlyDictionary<string, double> Details, string? Note);

/// <summary>One compared figure, its measure named as in the JSON output (<c>test_accuracy</c>, <c>mean_kl</c>, ...).</summary>
internal sealed record GoldCheckFigure(string Measure, double Served, double Gold, double Gap, double Tolerance, bool Passed, int? Class);

/// <summary>What <c>verify-gold</c> prints.</summary>
internal sealed record GoldCheckOutput(
    string Method, int Records, int Retained, int Deleted, long Seed, bool Passed, double GoldTrainingSeconds,
    IReadOnlyList<GoldCheckDeletion> Deletions, IReadOnlyList<GoldCheckFigure> Figures)
{
    public static GoldCheckOutput From(GoldCheckSettings settings, IReadOnlyList<GoldCheckDeletion> deletions, GoldStandardReport report) =>
        new(
            settings.Method, settings.Records, report.Retained, report.Deleted, settings.Seed, report.Passed, report.TrainingSeconds, deletions,
            report.Figures.Select(f => new GoldCheckFigure(MeasureName(f.Measure), f.Served, f.Gold, f.Gap, f.Tolerance, f.Passed, f.Class)).ToArray());

    public static string MeasureName(GoldStandardMeasure measure) => JsonNamingPolicy.SnakeCaseLower.ConvertName(measure.ToString());
}
