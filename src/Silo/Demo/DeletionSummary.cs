using Lethe.Learning.Audits;

namespace Lethe.Silo.Demo;

/// <summary>What one deletion in the demo forgot and what it cost, beside the model before it and a model retrained without the user.</summary>
internal sealed record DeletionSummary(
    string Scenario,
    string Method,
    int RecordsForgotten,
    double Seconds,
    AuditReport Before,
    AuditReport After,
    AuditReport Retrained,
    string Notes)
{
    public double TestAccuracyBefore => Before.TestAccuracy;

    public double TestAccuracyAfter => After.TestAccuracy;

    public double RetrainedTestAccuracy => Retrained.TestAccuracy;

    public double ForgetAccuracyBefore => Before.ForgetAccuracy;

    public double ForgetAccuracyAfter => After.ForgetAccuracy;

    public double RetrainedForgetAccuracy => Retrained.ForgetAccuracy;

    public double MiaAucBefore => Before.MiaAuc;

    public double MiaAuc => After.MiaAuc;

    public double RetrainedMiaAuc => Retrained.MiaAuc;
}
