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
    /// and on <paramref name="test"/>, and runs the loss-threshold attack on min(|forget|, |non-members|)
    /// records of each side, drawn with <paramref name="seed"/>; the same samples attack
    /// <paramref name="retrained"/> when given. The non-members are <paramref name="nonMembers"/> when given
    /// (records never trained on whose labels are distributed as the forget set's, e.g. relabelled the same
    /// way), else the test set.
    /// </summary>
    public static AuditReport Run(
        IClassifier model, Dataset train, int[] forget, int[] retain, Dataset test, IClassifier? retrained = null, long seed = 0, Dataset? nonMembers = null)
    {
        var onForget = Evaluator.Evaluate(model, train, forget);
        var onRetain = Evaluator.Evaluate(model, train, retain);
        var onTest = Evaluator.Evaluate(model, test);
        var outside = nonMembers ?? test;
        var onOutside = nonMembers is null ? onTest : Evaluator.Evaluate(model, nonMembers);

        var sampleSize = Math.Min(forget.Length, outside.Count);
        var forgetSample = IndexSampling.Draw(Positions(forget.Length), sampleSize, Seeds.Generator(seed, Seeds.Purpose.Sampling, forget.Length, 0));
        var outsideSample = IndexSampling.Draw(Positions(outside.Count), sampleSize, Seeds.Generator(seed, Seeds.Purpose.Sampling, forget.Length, 1));
        var auc = Attack(onForget, onOutside, forgetSample, outsideSample);
        var retrainedAuc = double.NaN;
        if (retrained is not null)
            retrainedAuc = Attack(Evaluator.Evaluate(retrained, train, forget), Evaluator.Evaluate(retrained, outside), forgetSample, outsideSample);

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
            retrainedAuc,
            onForget.MeanLoss);
    }

    private static double Attack(EvaluationReport members, EvaluationReport nonMembers, int[] memberSample, int[] nonMemberSample) =>
        MembershipInference.LossThresholdAuc(
            memberSample.Select(i => members.Losses[i]).ToArray(),
            nonMemberSample.Select(i => nonMembers.Losses[i]).ToArray());

    private static int[] Positions(int count) => Enumerable.Range(0, count).ToArray();
}
