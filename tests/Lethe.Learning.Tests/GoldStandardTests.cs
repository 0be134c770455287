using Lethe.Learning.Certified;
using Lethe.Learning.Training;
using Lethe.Learning.Verification;

namespace Lethe.Learning.Tests;

/// <summary>The gold-standard check on a small MNIST subset: a model that forgot passes, one that did not fails where it should.</summary>
public class GoldStandardTests
{
    private const long Seed = 7;
    private static readonly MlpRecipe Recipe = new([784, 32, 10], new TrainingOptions { Epochs = 2 });
    private static readonly int[] Subset = Enumerable.Range(0, 3000).ToArray();
    private static readonly int[] Sevens = Subset.Where(i => TestData.MnistTrain.Labels[i] == 7).ToArray();
    private static readonly int[] Others = Subset.Where(i => TestData.MnistTrain.Labels[i] != 7).ToArray();

    [Fact]
    public void A_model_trained_from_scratch_without_the_deletions_passes_with_no_gap()
    {
        var served = Recipe.Train(TestData.MnistTrain, Others, Seed);

        var report = GoldStandard.Verify(TestData.MnistTrain, TestData.MnistTest, Others, Sevens, served, Recipe, Seed);

        Assert.True(report.Passed);
        Assert.Equal((Others.Length, Sevens.Length), (report.Retained, report.Deleted));
        Assert.Equal(Enum.GetValues<GoldStandardMeasure>(), report.Figures.Select(f => f.Measure));
        Assert.All(report.Figures, f => Assert.Equal(0, f.Gap, 12));
        Assert.True(report.TrainingSeconds > 0);
    }

    [Fact]
    public void A_model_that_still_knows_the_deleted_records_fails_on_the_figures_that_show_it()
    {
        var served = Recipe.Train(TestData.MnistTrain, Subset, Seed);

        var report = GoldStandard.Verify(TestData.MnistTrain, TestData.MnistTest, Others, Sevens, served, Recipe, Seed);
        var figures = report.Figures.ToDictionary(f => f.Measure);

        Assert.False(report.Passed);
        Assert.False(figures[GoldStandardMeasure.TestAccuracy].Passed);
        var worst = figures[GoldStandardMeasure.PerClassAccuracy];
        Assert.Equal(7, worst.Class);
        Assert.True(worst.Served > 0.8 && worst.Gold < 0.01, $"sevens: served {worst.Served:P2}, gold {worst.Gold:P2}");
        Assert.False(figures[GoldStandardMeasure.MeanKl].Passed);
        Assert.True(figures[GoldStandardMeasure.MiaAuc].Gap > 0.05, $"MIA AUC served {figures[GoldStandardMeasure.MiaAuc].Served:F3}, gold {figures[GoldStandardMeasure.MiaAuc].Gold:F3}");

        var loose = new GoldStandardTolerances { TestAccuracy = 1, TestLoss = 100, PerClassAccuracy = 1, MiaAuc = 1, MeanKl = 1000 };
        Assert.True(GoldStandard.Verify(TestData.MnistTrain, TestData.MnistTest, Others, Sevens, served, Recipe, Seed, loose).Passed);
    }

    [Fact]
    public void A_certified_model_is_checked_against_its_own_kind_and_with_no_deletions_the_attack_is_not_measured()
    {
        var recipe = new CertifiedRecipe(new CertifiedOptions { Regularisation = 2e-3, NoiseStandardDeviation = 0.2 });
        var served = recipe.Train(TestData.MnistTrain, Subset, Seed);

        var report = GoldStandard.Verify(TestData.MnistTrain, TestData.MnistTest, Subset, [], served, recipe, Seed);

        Assert.True(report.Passed);
        Assert.True(double.IsNaN(report.Figures.Single(f => f.Measure == GoldStandardMeasure.MiaAuc).Gap));
        Assert.Equal(0, report.Figures.Single(f => f.Measure == GoldStandardMeasure.MeanKl).Served, 12);
    }

    [Fact]
    public void Misuse_is_rejected_before_training()
    {
        var served = Recipe.Train(TestData.MnistTrain, Subset[..100], Seed);
        var train = TestData.MnistTrain;
        var test = TestData.MnistTest;

        Assert.Throws<ArgumentException>(() => GoldStandard.Verify(train, test, [], Sevens, served, Recipe, Seed));
        Assert.Throws<ArgumentException>(() => GoldStandard.Verify(train, test, Others, [.. Sevens, Others[0]], served, Recipe, Seed));
        Assert.Throws<ArgumentException>(() => GoldStandard.Verify(train, test, [.. Others, train.Count], Sevens, served, Recipe, Seed));
        Assert.Throws<ArgumentOutOfRangeException>(() => GoldStandard.Verify(train, test, Others, Sevens, served, Recipe, Seed, new GoldStandardTolerances { MeanKl = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GoldStandard.Verify(train, test, Others, Sevens, served, Recipe, Seed, new GoldStandardTolerances { MiaAuc = double.NaN }));
    }
}
