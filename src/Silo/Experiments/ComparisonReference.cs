using Lethe.Learning.Audits;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;

namespace Lethe.Silo.Experiments;

/// <summary>
/// The two ends a row is placed between: the model before unlearning (base) and the model trained from
/// scratch without the forget set (retrained), with the figures of each that rows are compared with.
/// </summary>
internal sealed record ComparisonReference(
    IClassifier Retrained,
    double RetrainedTestAccuracy,
    double BaseForgetLoss,
    double RetrainedForgetLoss,
    double BaseMiaAuc,
    double RetrainedMiaAuc,
    double BaseKlToRetrained)
{
    /// <summary>Audits <paramref name="baseModel"/> against <paramref name="retrained"/> on the scenario.</summary>
    public static ComparisonReference Measure(IClassifier baseModel, IClassifier retrained, MnistData data, Scenario scenario, long seed)
    {
        var audit = UnlearningAudit.Run(baseModel, data.Train, scenario.Forget, scenario.Retain, data.Test, retrained, seed, scenario.AttackNonMembers);
        return new ComparisonReference(
            retrained,
            Evaluator.Evaluate(retrained, data.Test).Accuracy,
            audit.ForgetLoss,
            Evaluator.Evaluate(retrained, data.Train, scenario.Forget).MeanLoss,
            audit.MiaAuc,
            audit.RetrainedMiaAuc,
            PredictionDivergence.MeanKl(retrained, baseModel, data.Test));
    }

    /// <summary>KL(retrained ‖ model) over the test set.</summary>
    public double KlToRetrained(IClassifier model, Dataset test) => PredictionDivergence.MeanKl(Retrained, model, test);
}
