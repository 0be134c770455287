using Lethe.Learning.Audits;
using Lethe.Learning.Checkpoints;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Fisher;
using Lethe.Learning.Models;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Tests;

/// <summary>What each method achieves on a small MNIST model: outcomes that a broken method would miss.</summary>
public class UnlearningOutcomeTests
{
    private static readonly int[] OtherDigits = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void Fisher_scrub_forgets_a_digit_the_retain_set_lacks_and_keeps_the_others()
    {
        var baseModel = UnlearningScenario.BaseModel;
        var before = Evaluator.Evaluate(new MlpClassifier(baseModel), TestData.MnistTest);

        // A thousand zeros and a less trained model than the default recipe's need more steps than the default cap.
        var options = new FisherScrubOptions { MaxSteps = 300 };
        var result = new FisherScrub(options).Unlearn(baseModel, UnlearningScenario.Train, UnlearningScenario.Zeros, UnlearningScenario.NonZeros, UnlearningScenario.Seed);
        var after = Evaluator.Evaluate(new MlpClassifier(result.Model), TestData.MnistTest);

        var message = $"zeros {before.PerClassAccuracy[0]:P2} -> {after.PerClassAccuracy[0]:P2}, others {OtherAccuracy(before):P2} -> {OtherAccuracy(after):P2}";
        Assert.True(before.PerClassAccuracy[0] > 0.95, message);
        Assert.True(after.PerClassAccuracy[0] < 0.02, message);
        Assert.True(OtherAccuracy(after) > OtherAccuracy(before) - 0.015, message);
        Assert.Equal(1, result.Report.Details["classes_scrubbed"]);
        Assert.InRange(result.Report.Details["steps"], 1, options.MaxSteps);
        Assert.Null(result.Report.Note);
    }

    [Fact]
    public void Fisher_scrub_leaves_a_forget_set_alone_when_the_retain_set_still_holds_its_classes()
    {
        var baseModel = UnlearningScenario.BaseModel;
        var forget = UnlearningScenario.Subset.Where(i => i % 3 == 0).ToArray();
        var retain = UnlearningScenario.Subset.Where(i => i % 3 != 0).ToArray();

        var result = new FisherScrub().Unlearn(baseModel, UnlearningScenario.Train, forget, retain, UnlearningScenario.Seed);

        Assert.Equal(ModelCheckpoint.Save(baseModel), ModelCheckpoint.Save(result.Model));
        Assert.Equal(0, result.Report.Details["steps"]);
        Assert.Equal(0, result.Report.Details["classes_scrubbed"]);
        Assert.Contains("unchanged", result.Report.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Neggrad_ft_lowers_the_accuracy_on_the_forget_set()
    {
        var baseModel = UnlearningScenario.BaseModel;
        var train = UnlearningScenario.Train;
        var zeros = UnlearningScenario.Zeros;
        var before = Evaluator.Evaluate(new MlpClassifier(baseModel), train, zeros).Accuracy;
        var testBefore = Evaluator.Evaluate(new MlpClassifier(baseModel), TestData.MnistTest);

        var result = new NegGradFineTune().Unlearn(baseModel, train, zeros, UnlearningScenario.NonZeros, UnlearningScenario.Seed);
        var after = Evaluator.Evaluate(new MlpClassifier(result.Model), train, zeros).Accuracy;
        var testAfter = Evaluator.Evaluate(new MlpClassifier(result.Model), TestData.MnistTest);

        var message = $"forget accuracy {before:P2} -> {after:P2}, other digits {OtherAccuracy(testBefore):P2} -> {OtherAccuracy(testAfter):P2}, ascent steps {result.Report.Details["ascent_steps"]}";
        Assert.True(before > 0.95, message);
        Assert.True(after < 0.5, message);
        Assert.True(OtherAccuracy(testAfter) > OtherAccuracy(testBefore) - 0.02, message);
    }

    [Fact]
    public void Fisher_noise_moves_each_parameter_with_the_variance_its_Fisher_sets()
    {
        var baseModel = UnlearningScenario.BaseModel;
        var train = UnlearningScenario.Train;
        var method = new FisherNoise();
        var fisher = FisherDiagonal.Estimate(baseModel, train, UnlearningScenario.NonZeros, method.Options.Fisher, seed: 8);
        var deviations = method.StandardDeviations(fisher);

        var noisy = method.Unlearn(baseModel, train, UnlearningScenario.Zeros, UnlearningScenario.NonZeros, seed: 8).Model;
        var again = method.Unlearn(baseModel, train, UnlearningScenario.Zeros, UnlearningScenario.NonZeros, seed: 9).Model;

        var clamped = new List<double>();
        var free = new List<double>();
        for (var i = 0; i < deviations.Length; i++)
        {
            var z = (noisy.Parameters[i] - baseModel.Parameters[i]) / deviations[i];
            (deviations[i] == method.Options.MaxStandardDeviation ? clamped : free).Add(z);
        }

        // Unit-variance standard scores in both groups: the noise follows each parameter's own deviation, clamp included.
        foreach (var scores in new[] { clamped, free })
        {
            Assert.True(scores.Count > 1000, $"only {scores.Count} parameters in a group");
            var mean = scores.Average();
            var meanSquare = scores.Average(z => z * z);
            var tolerance = 5 * Math.Sqrt(2.0 / scores.Count);
            Assert.True(Math.Abs(mean) < 5 / Math.Sqrt(scores.Count), $"mean standard score {mean:F4} over {scores.Count}");
            Assert.True(Math.Abs(meanSquare - 1) < tolerance, $"mean squared standard score {meanSquare:F4} over {scores.Count}");
        }

        Assert.True(deviations.Min() < deviations.Max() / 10, "the deviations should vary with the Fisher");
        Assert.NotEqual(noisy.Parameters, again.Parameters);
    }

    [Fact]
    public void Influence_with_light_damping_removes_a_digit_the_retain_set_lacks_and_reports_its_solve()
    {
        var baseModel = UnlearningScenario.BaseModel;
        var before = Evaluator.Evaluate(new MlpClassifier(baseModel), TestData.MnistTest);
        var options = new InfluenceOptions { Damping = 0.01f, CurvatureSamples = 2048 };

        var result = new Influence(options).Unlearn(baseModel, UnlearningScenario.Train, UnlearningScenario.Zeros, UnlearningScenario.NonZeros, UnlearningScenario.Seed);
        var after = Evaluator.Evaluate(new MlpClassifier(result.Model), TestData.MnistTest);

        var message = $"zeros {before.PerClassAccuracy[0]:P2} -> {after.PerClassAccuracy[0]:P2}, others {OtherAccuracy(before):P2} -> {OtherAccuracy(after):P2}";
        Assert.True(after.PerClassAccuracy[0] < 0.05, message);
        Assert.True(OtherAccuracy(after) > OtherAccuracy(before) - 0.03, message);
        foreach (var solve in new[] { "full", "retain" })
        {
            Assert.True(result.Report.Details[$"cg_relative_residual_{solve}"] <= options.Tolerance, $"{solve} residual {result.Report.Details[$"cg_relative_residual_{solve}"]:E2}");
            Assert.InRange(result.Report.Details[$"cg_iterations_{solve}"], 2, options.MaxIterations);
        }

        Assert.Equal(2048, result.Report.Details["curvature_samples"]);
        Assert.Equal(options.Damping * UnlearningScenario.Records / UnlearningScenario.NonZeros.Length, result.Report.Details["retain_damping"], 1e-6);
    }

    [Fact]
    public void Influence_moves_the_predictions_toward_retraining_when_the_forget_set_is_drawn_like_the_retain_set_and_keeps_accuracy()
    {
        // Forty percent of the records, drawn at random: every class stays, and the model retrained without them
        // differs from the base model mostly in having taken fewer steps.
        var drawn = IndexSampling.Draw(UnlearningScenario.Subset, 4000, Seeds.Generator(UnlearningScenario.Seed, Seeds.Purpose.Sampling, 3)).ToHashSet();
        var forget = UnlearningScenario.Subset.Where(drawn.Contains).ToArray();
        var retain = UnlearningScenario.Subset.Where(i => !drawn.Contains(i)).ToArray();
        var retrained = new MlpClassifier(UnlearningScenario.Retrained(retain));
        var baseModel = new MlpClassifier(UnlearningScenario.BaseModel);

        var result = new Influence().Unlearn(UnlearningScenario.BaseModel, UnlearningScenario.Train, forget, retain, UnlearningScenario.Seed);
        var corrected = new MlpClassifier(result.Model);

        var baseKl = PredictionDivergence.MeanKl(retrained, baseModel, TestData.MnistTest);
        var correctedKl = PredictionDivergence.MeanKl(retrained, corrected, TestData.MnistTest);
        var retrainedAccuracy = Evaluator.Evaluate(retrained, TestData.MnistTest).Accuracy;
        var correctedAccuracy = Evaluator.Evaluate(corrected, TestData.MnistTest).Accuracy;
        var message = $"KL to retrained {baseKl:F4} -> {correctedKl:F4}, test accuracy {correctedAccuracy:P2} (retrained {retrainedAccuracy:P2})";
        Assert.True(correctedKl < 0.9 * baseKl, message);
        Assert.True(correctedAccuracy > retrainedAccuracy - 0.01, message);
    }

    [Fact]
    public void Scrub_forgets_a_digit_the_retain_set_lacks_and_keeps_the_others()
    {
        var baseModel = UnlearningScenario.BaseModel;
        var before = Evaluator.Evaluate(new MlpClassifier(baseModel), TestData.MnistTest);

        var result = new Scrub().Unlearn(baseModel, UnlearningScenario.Train, UnlearningScenario.Zeros, UnlearningScenario.NonZeros, UnlearningScenario.Seed);
        var after = Evaluator.Evaluate(new MlpClassifier(result.Model), TestData.MnistTest);

        var message = $"zeros {before.PerClassAccuracy[0]:P2} -> {after.PerClassAccuracy[0]:P2}, others {OtherAccuracy(before):P2} -> {OtherAccuracy(after):P2}, max steps {result.Report.Details["max_steps"]}";
        Assert.True(after.PerClassAccuracy[0] < 0.02, message);
        Assert.True(OtherAccuracy(after) > OtherAccuracy(before) - 0.015, message);
        Assert.InRange(result.Report.Details["max_steps"], 1, 2 * UnlearningScenario.Zeros.Length / new ScrubOptions().ForgetBatchSize);
        Assert.True(result.Report.Details["forget_kl_last_max_pass"] > 0);
    }

    private static double OtherAccuracy(EvaluationReport report)
    {
        double correct = 0, count = 0;
        foreach (var digit in OtherDigits)
        {
            correct += report.PerClassAccuracy[digit] * report.PerClassCount[digit];
            count += report.PerClassCount[digit];
        }

        return correct / count;
    }
}
