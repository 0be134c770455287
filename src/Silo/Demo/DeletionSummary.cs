namespace Lethe.Silo.Demo;

/// <summary>What one deletion in the demo forgot and what it cost.</summary>
internal sealed record DeletionSummary(
    string Scenario,
    string Method,
    int RecordsForgotten,
    double Seconds,
    double TestAccuracyBefore,
    double TestAccuracyAfter,
    double ForgetAccuracyBefore,
    double ForgetAccuracyAfter,
    double MiaAuc,
    double RetrainedMiaAuc,
    string Notes);
