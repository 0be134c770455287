using System.Diagnostics;
using Lethe.Learning.Audits;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;

namespace Lethe.Learning.Verification;

/// <summary>
/// The periodic gold-standard check: train a model from scratch without every record deleted so far
/// and compare the served model with it on test accuracy, test loss, per-class accuracy, the
/// membership-inference AUC of the deleted records, and the mean KL between their predictions.
/// </summary>
public static class GoldStandard
{
    /// <summary>
    /// Trains the gold standard with <paramref name="recipe"/> on <paramref name="retained"/> of
    /// <paramref name="train"/> (seeded with <paramref name="seed"/>, which also draws the attack's samples)
    /// and compares <paramref name="served"/> with it on <paramref name="test"/> and on
    /// <paramref name="deleted"/>, the records deleted so far (empty when there are none).
    /// </summary>
    public static GoldStandardReport Verify(
        Dataset train, Dataset test, int[] retained, int[] deleted, IClassifier served, IRetrainRecipe recipe, long seed,
        GoldStandardTolerances? tolerances = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(recipe);
        CheckRecords(train, retained, deleted);
        if (served.ClassCount != train.ClassCount || test.ClassCount != train.ClassCount || test.FeatureCount != train.FeatureCount)
            throw new ArgumentException("The served model, the training data and the test data must agree on features and classes.", nameof(served));
        tolerances = (tolerances ?? new GoldStandardTolerances()).Validate();

        var clock = Stopwatch.StartNew();
        var gold = recipe.Train(train, retained, seed, cancellationToken);
        var trainingSeconds = clock.Elapsed.TotalSeconds;

        var servedTest = Evaluator.Evaluate(served, test);
        var goldTest = Evaluator.Evaluate(gold, test);
        var audit = UnlearningAudit.Run(served, train, deleted, retained, test, gold, seed);
        var figures = new List<GoldStandardFigure>
        {
            Compare(GoldStandardMeasure.TestAccuracy, servedTest.Accuracy, goldTest.Accuracy, tolerances.TestAccuracy),
            Compare(GoldStandardMeasure.TestLoss, servedTest.MeanLoss, goldTest.MeanLoss, tolerances.TestLoss),
            WorstClass(servedTest, goldTest, tolerances.PerClassAccuracy),
            Compare(GoldStandardMeasure.MiaAuc, audit.MiaAuc, audit.RetrainedMiaAuc, tolerances.MiaAuc),
            Compare(GoldStandardMeasure.MeanKl, PredictionDivergence.MeanKl(gold, served, test), 0, tolerances.MeanKl),
        };
        return new GoldStandardReport(retained.Length, deleted.Length, trainingSeconds, figures);
    }

    private static GoldStandardFigure Compare(GoldStandardMeasure measure, double served, double gold, double tolerance)
    {
        var gap = Math.Abs(served - gold);
        return new GoldStandardFigure(measure, served, gold, gap, tolerance, double.IsNaN(gap) || gap <= tolerance);
    }

    private static GoldStandardFigure WorstClass(EvaluationReport served, EvaluationReport gold, double tolerance)
    {
        var worst = -1;
        var largest = double.NegativeInfinity;
        for (var c = 0; c < served.PerClassAccuracy.Length; c++)
        {
            var gap = Math.Abs(served.PerClassAccuracy[c] - gold.PerClassAccuracy[c]);
            if (gap > largest) (worst, largest) = (c, gap);
        }

        return worst < 0
            ? new GoldStandardFigure(GoldStandardMeasure.PerClassAccuracy, double.NaN, double.NaN, double.NaN, tolerance, true)
            : Compare(GoldStandardMeasure.PerClassAccuracy, served.PerClassAccuracy[worst], gold.PerClassAccuracy[worst], tolerance) with { Class = worst };
    }

    private static void CheckRecords(Dataset train, int[] retained, int[] deleted)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(retained);
        ArgumentNullException.ThrowIfNull(deleted);
        if (retained.Length == 0) throw new ArgumentException("The gold standard needs at least one retained record.", nameof(retained));
        var seen = new bool[train.Count];
        foreach (var (rows, name) in new[] { (retained, nameof(retained)), (deleted, nameof(deleted)) })
        {
            foreach (var row in rows)
            {
                if ((uint)row >= (uint)train.Count) throw new ArgumentException($"Index {row} is not a row of the training data (0..{train.Count - 1}).", name);
                if (seen[row]) throw new ArgumentException($"Row {row} is listed twice among the retained and deleted records.", name);
                seen[row] = true;
            }
        }
    }
}
