using Lethe.Learning.Certified;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Tests;

/// <summary>Certified removal on a small MNIST subset: the certificate's bound against a model trained from scratch without the records.</summary>
public class CertifiedRemovalTests
{
    private const int Records = 2000;
    private const long Seed = 3;
    private static readonly int[] Subset = Enumerable.Range(0, Records).ToArray();

    // Small data: a larger λ than full MNIST's default, a smaller σ (the noise moves the weights by about σ / (λ n)), and a
    // budget that lets the Newton steps stand, so they can be checked against training from scratch.
    private static readonly CertifiedOptions Options = new() { Regularisation = 2e-3, NoiseStandardDeviation = 0.2, EpsilonBudget = 100 };
    private static readonly Lazy<CertifiedModel> Trained = new(() => CertifiedModel.Train(Train, Subset, Options, Seed));

    private static Dataset Train => TestData.MnistTrain;

    [Fact]
    public void Two_deletions_stay_within_their_certified_bound_of_a_model_trained_from_scratch_without_the_records()
    {
        var model = Trained.Value;
        var removal = UnlearningMethods.CreateCertified();
        var first = removal.Forget(model, Train, Subset[..6], Subset[6..]);
        var second = removal.Forget(first.Model, Train, Subset[6..12], Subset[12..]);
        var retain = Subset[12..];
        var fromScratch = CertifiedModel.Train(Train, retain, Options, Seed);

        Assert.False(first.Retrained || second.Retrained, second.Report.Note);
        // The bound bounds the gradient the weights actually leave on the retained objective ...
        var residual = second.Model.MeasureGradientResidual(Train, retain);
        var bound = second.Guarantee.GradientResidualBound;
        Assert.True(residual <= bound, $"measured residual {residual:G4} above the bound {bound:G4}");
        Assert.True(bound > first.Guarantee.GradientResidualBound, "the bounds of successive deletions add up");
        // ... so, by strong convexity (modulus λ n), the weights lie within (β + β_scratch) / (λ n) of the minimiser found from scratch.
        var distance = Distance(second.Model.Weights, fromScratch.Weights);
        var radius = (bound + fromScratch.Guarantee.GradientResidualBound) / (Options.Regularisation * retain.Length);
        Assert.True(distance <= radius, $"distance to the retrained weights {distance:G4}, certified radius {radius:G4}");
        // The step did the work: the original weights are much further away than the radius.
        Assert.True(Distance(model.Weights, fromScratch.Weights) > 5 * radius, $"original model at {Distance(model.Weights, fromScratch.Weights):G4}, radius {radius:G4}");

        var c = Options.NoiseMultiplier;
        Assert.Equal(c * bound / Options.NoiseStandardDeviation, second.Guarantee.Epsilon, 9);
        Assert.Equal(Options.Delta, second.Guarantee.Delta);
        Assert.Equal(second.Guarantee.Epsilon, second.Report.Details["epsilon"]);
        Assert.Equal(Options.Delta, second.Report.Details["delta"]);
        Assert.InRange(second.Guarantee.Epsilon, 1e-6, Options.EpsilonBudget);
        Assert.Equal(retain.Length, second.Model.TrainedCount);
    }

    [Fact]
    public void A_deletion_past_the_budget_trains_again_from_scratch_with_fresh_noise()
    {
        var model = Trained.Value;
        var tight = CertifiedModel.Train(Train, Subset, Options with { EpsilonBudget = 1e-6 }, Seed);
        var forget = Subset.Where(i => Train.Labels[i] == 7).ToArray();
        var retain = Subset.Where(i => Train.Labels[i] != 7).ToArray();

        var result = UnlearningMethods.CreateCertified().Forget(tight, Train, forget, retain);

        Assert.True(result.Retrained);
        Assert.Equal(1, result.Model.Generation);
        Assert.Equal(1, result.Report.Details["retrained"]);
        Assert.True(result.Report.Details["newton_step_epsilon"] > 1e-6);
        Assert.Contains("trained again from scratch", result.Report.Note, StringComparison.Ordinal);
        // Retrained: its bound is its own training residual, and it no longer knows the digit.
        Assert.True(result.Guarantee.GradientResidualBound <= 1e-7 * retain.Length * 10, $"β {result.Guarantee.GradientResidualBound:G4}");
        Assert.True(Math.Abs(result.Model.MeasureGradientResidual(Train, retain) - result.Guarantee.GradientResidualBound) < 1e-3);
        var sevens = Evaluator.Evaluate(result.Model, TestData.MnistTest).PerClassAccuracy[7];
        Assert.True(sevens < 0.01, $"test sevens {sevens:P2}");
        Assert.True(Evaluator.Evaluate(model, TestData.MnistTest).PerClassAccuracy[7] > 0.7);
    }

    [Fact]
    public void The_model_classifies_and_the_same_seed_gives_the_same_weights()
    {
        var model = Trained.Value;
        var accuracy = Evaluator.Evaluate(model, TestData.MnistTest).Accuracy;
        var again = CertifiedModel.Train(Train, Subset, Options, Seed);
        var otherNoise = CertifiedModel.Train(Train, Subset, Options, Seed + 1);

        Assert.True(accuracy > 0.8, $"test accuracy {accuracy:P2}");
        Assert.Equal(model.Weights.ToArray(), again.Weights.ToArray());
        Assert.NotEqual(model.Weights.ToArray(), otherNoise.Weights.ToArray());
    }

    [Fact]
    public void Misuse_is_rejected_before_any_work()
    {
        var model = Trained.Value;
        var removal = UnlearningMethods.CreateCertified();
        var wide = new Dataset(new byte[30 * 7], new int[30], 7, 10, Normalisation.UnitScale);

        Assert.Throws<ArgumentException>(() => removal.Forget(model, Train, Subset[..5], Subset[10..]));
        Assert.Throws<ArgumentException>(() => removal.Forget(model, Train, [], Subset));
        Assert.Throws<ArgumentException>(() => removal.Forget(model, Train, Subset[..5], Subset[4..]));
        Assert.Throws<ArgumentException>(() => removal.Forget(model, wide, [0], [1]));
        Assert.Throws<ArgumentException>(() => CertifiedModel.Train(Train, [], Options));
        Assert.Throws<ArgumentException>(() => CertifiedModel.Train(Train, [Train.Count], Options));
        Assert.Throws<ArgumentOutOfRangeException>(() => CertifiedModel.Train(Train, Subset, Options with { Delta = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CertifiedModel.Train(Train, Subset, Options with { NoiseStandardDeviation = 0 }));
        Assert.Throws<ArgumentException>(() => UnlearningMethods.Create(UnlearningMethods.Certified));
    }

    private static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Pow(a[i] - b[i], 2);
        return Math.Sqrt(sum);
    }
}
