using Lethe.Learning.Audits;

namespace Lethe.Silo.Experiments;

/// <summary>One method's line in a comparison table: what the unlearned model knows and what it cost.</summary>
internal sealed record ComparisonRow(
    string Method,
    string? Placement,
    int Forgotten,
    double RetainAccuracy,
    double ForgetAccuracy,
    double TestAccuracy,
    double? ForgottenClassTestAccuracy,
    double? OtherClassesTestAccuracy,
    double ConfidenceGap,
    double MiaAuc,
    double RetrainedMiaAuc,
    double MiaAucDifference,
    double RuntimeSeconds,
    double SpeedUpOverRetrain,
    IReadOnlyDictionary<string, double> Details,
    string? Note)
{
    /// <summary>Builds a row from an audit; the speed-up is filled in once retrain's time is known.</summary>
    public static ComparisonRow From(string method, string? placement, AuditReport audit, int? forgottenClass, double seconds, IReadOnlyDictionary<string, double> details, string? note) =>
        new(
            method,
            placement,
            audit.ForgetCount,
            audit.RetainAccuracy,
            audit.ForgetAccuracy,
            audit.TestAccuracy,
            forgottenClass is { } c ? audit.TestAccuracyOn(c) : null,
            forgottenClass is { } k ? audit.TestAccuracyWithout(k) : null,
            audit.ConfidenceGap,
            audit.MiaAuc,
            audit.RetrainedMiaAuc,
            audit.MiaAucDifference,
            seconds,
            double.NaN,
            details,
            note);
}
