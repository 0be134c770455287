using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Audits;

/// <summary>Audits any classifier against a forget set: accuracies, confidence gap and membership inference.</summary>
public static class UnlearningAudit
{
    /// <summary>
    /// Evaluates <paramref name="model"/> on the forget and retain records of <paramref name="train"/>
    /// and on <paramref name="test"/>, and runs the loss-threshold attack on min(|forget|, |test|)
    /// records of each side, drawn with <paramref name="seed"/>; the same samples attack
    /// <paramref name="retrained"/> when given.
    /// </summary>
    public static AuditReport Run(
        IClassifier model, Dataset train, int[] forget, int[] retain, Dataset test, IClassifier? retrained = null, long seed = 0)
    {
        var onForget = Evaluator.Evaluate(model, train, forget);
        var onRetain = Evaluator.Evaluate(model, train, retain);
        var onTest = Evaluator.Evaluate(model, test);

        var sampleSize = Math.Min(forget.Length, test.Count);
        var forgetSample = IndexSampling.Draw(Positions(forget.Length), sampleSize, Seeds.Generator(seed, Seeds.Purpose.Sampling, forget.Length, 0));
        var testSample = IndexSampling.Draw(Positions(test.Count), sampleSize, Seeds.Generator(seed, Seeds.Purpose.Sampling, forget.Length, 1));
        var auc = Attack(onForget, onTest, forgetSample, testSample);
        var retrainedAuc = double.NaN;
        if (retrained is not null)
            retrainedAuc = Attack(Evaluator.Evaluate(retrained, train, forget), Evaluator.Evaluate(retrained, test), forgetSample, testSample);

        return new AuditReport(
            forget.Length,
            onForget.Accuracy,
            onRetain.Accuracy,
            onTest.Accuracy,
            onTest.PerClassAccuracy,
            onTest.PerClassCount,
            onForget.MeanConfidence,
            onTest.MeanConfidence,
            sampleSize,
            auc,
            retrainedAuc);
    }

    private static double Attack(EvaluationReport members, EvaluationReport nonMembers, int[] memberSample, int[] nonMemberSample) =>
        MembershipInference.LossThresholdAuc(
            memberSample.Select(i => members.Losses[i]).ToArray(),
            nonMemberSample.Select(i => nonMembers.Losses[i]).ToArray());

    private static int[] Positions(int count) => Enumerable.Range(0, count).ToArray();
}
