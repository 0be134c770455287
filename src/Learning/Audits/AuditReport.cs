namespace Lethe.Learning.Audits;

/// <summary>What a model still knows about a forget set, beside what it should know.</summary>
/// <param name="ForgetCount">Records in the forget set.</param>
/// <param name="ForgetAccuracy">Accuracy on the forgotten training records.</param>
/// <param name="RetainAccuracy">Accuracy on the retained training records.</param>
/// <param name="TestAccuracy">Accuracy on the test set.</param>
/// <param name="TestPerClassAccuracy">Test accuracy of each class.</param>
/// <param name="TestPerClassCount">Test records of each class.</param>
/// <param name="ForgetConfidence">Mean max-softmax confidence on the forget set.</param>
/// <param name="TestConfidence">Mean max-softmax confidence on the test set.</param>
/// <param name="MiaSampleSize">Records per side of the membership-inference sample.</param>
/// <param name="MiaAuc">Loss-threshold attack AUC, forget sample vs an equal-sized test sample.</param>
/// <param name="RetrainedMiaAuc">The same attack on the same samples against a model retrained without the forget set (NaN when none was given).</param>
/// <param name="ForgetLoss">Mean cross-entropy on the forgotten training records, with their labels as trained.</param>
public sealed record AuditReport(
    int ForgetCount,
    double ForgetAccuracy,
    double RetainAccuracy,
    double TestAccuracy,
    double[] TestPerClassAccuracy,
    int[] TestPerClassCount,
    double ForgetConfidence,
    double TestConfidence,
    int MiaSampleSize,
    double MiaAuc,
    double RetrainedMiaAuc,
    double ForgetLoss = double.NaN)
{
    /// <summary>Forget confidence minus test confidence: above zero the model is surer of what it should have forgotten.</summary>
    public double ConfidenceGap => ForgetConfidence - TestConfidence;

    /// <summary>MIA AUC minus the retrained model's: how much more the model gives away than a clean retrain.</summary>
    public double MiaAucDifference => MiaAuc - RetrainedMiaAuc;

    /// <summary>Test accuracy on every class but <paramref name="excluded"/> (e.g. digits 1-9 after forgetting digit 0).</summary>
    public double TestAccuracyWithout(int excluded) => TestAccuracyOn(Enumerable.Range(0, TestPerClassCount.Length).Where(c => c != excluded));

    /// <summary>Test accuracy on the given classes only (e.g. digits 1-9 after forgetting digit 0).</summary>
    public double TestAccuracyOn(params IEnumerable<int> classes)
    {
        double correct = 0, count = 0;
        foreach (var c in classes)
        {
            if (TestPerClassCount[c] == 0) continue;
            correct += TestPerClassAccuracy[c] * TestPerClassCount[c];
            count += TestPerClassCount[c];
        }

        return count == 0 ? double.NaN : correct / count;
    }
}
