using Lethe.Learning.Audits;

namespace Lethe.Silo.Experiments;

/// <summary>
/// One method's line in a comparison table: what the unlearned model knows, what it cost, and where it
/// lands between the model it started from (position 0) and the model retrained without the forget set
/// (position 1). The sharded methods start from the sharded model and the MLP methods from the base MLP;
/// certified removal is measured against its own kind: a certified model trained on every record, and one
/// trained from scratch without the forget set.
/// </summary>
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
    double ForgetLoss,
    double BaseForgetLoss,
    double MiaAuc,
    double RetrainedMiaAuc,
    double MiaAucDifference,
    double RetrainedTestAccuracy,
    double ForgetLossPosition,
    double MiaAucPosition,
    double? KlToRetrained,
    double? BaseKlToRetrained,
    double? Epsilon,
    double? Delta,
    double RuntimeSeconds,
    double SpeedUpOverRetrain,
    IReadOnlyDictionary<string, double> Details,
    string? Note)
{
    /// <summary>Builds a row from an audit and its reference; the speed-up is filled in once retrain's time is known.</summary>
    public static ComparisonRow From(
        string method, string? placement, AuditReport audit, ComparisonReference reference, int? forgottenClass, double? klToRetrained,
        double seconds, IReadOnlyDictionary<string, double> details, string? note) =>
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
            audit.ForgetLoss,
            reference.BaseForgetLoss,
            audit.MiaAuc,
            audit.RetrainedMiaAuc,
            audit.MiaAucDifference,
            reference.RetrainedTestAccuracy,
            Position(audit.ForgetLoss, reference.BaseForgetLoss, reference.RetrainedForgetLoss),
            Position(audit.MiaAuc, reference.BaseMiaAuc, reference.RetrainedMiaAuc),
            klToRetrained,
            klToRetrained is null ? null : reference.BaseKlToRetrained,
            null,
            null,
            seconds,
            double.NaN,
            details,
            note);

    /// <summary>Where <paramref name="value"/> lies from <paramref name="start"/> (0) to <paramref name="end"/> (1); NaN when they coincide.</summary>
    private static double Position(double value, double start, double end) => end == start ? double.NaN : (value - start) / (end - start);
}
