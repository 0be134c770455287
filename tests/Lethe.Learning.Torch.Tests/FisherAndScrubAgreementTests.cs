using Lethe.Learning.Compute;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Fisher;
using Lethe.Learning.Models;
using Lethe.Learning.Tests;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Torch.Tests;

public class FisherAndScrubAgreementTests
{
    private static readonly int[] Records = Backends.FirstRecords(3000);
    private static readonly Lazy<Mlp> Trained = new(() => Backends.Model(Backends.TrainOnBlas(Backends.Recipe("adam", epochs: 2), Records)));

    [Theory]
    [InlineData(FisherKind.True)]
    [InlineData(FisherKind.Empirical)]
    [InlineData(FisherKind.TrueHiddenEmpiricalOutput)]
    public void Both_backends_estimate_the_same_fisher_diagonal_over_the_same_sample(FisherKind kind)
    {
        var options = new FisherOptions { Kind = kind, MaxSamples = 700, BatchSize = 256 };

        var blas = BlasBackend.Instance.FisherDiagonal(Trained.Value, TestData.MnistTrain, Records, options, seed: 5, default);
        var torch = TorchCpu.Backend.FisherDiagonal(Trained.Value, TestData.MnistTrain, Records, options, seed: 5, default);
        var otherSample = BlasBackend.Instance.FisherDiagonal(Trained.Value, TestData.MnistTrain, Records, options, seed: 6, default);

        var largest = blas.Max();
        var between = Backends.MaxAbsDifference(blas, torch);
        Assert.True(between <= 1e-4f * largest, $"The backends' Fisher diagonals differ by {between} (largest entry {largest}).");
        Assert.True(Backends.MaxAbsDifference(blas, otherSample) > 100 * between, "Another sample should give another estimate; the comparison says nothing.");
    }

    [Fact]
    public void Both_backends_scrub_an_exclusive_class_with_the_same_steps_and_the_same_outcome()
    {
        var forget = Records.Where(r => TestData.MnistTrain.Labels[r] == 0).ToArray();
        var retain = Records.Where(r => TestData.MnistTrain.Labels[r] != 0).ToArray();
        var options = new FisherScrubOptions();

        var blas = BlasBackend.Instance.Scrub(Trained.Value, TestData.MnistTrain, forget, retain, options, seed: 9, default);
        var torch = TorchCpu.Backend.Scrub(Trained.Value, TestData.MnistTrain, forget, retain, options, seed: 9, default);

        Assert.Equal(blas.Report.Details.Where(d => d.Key != "forget_kl_last_epoch"), torch.Report.Details.Where(d => d.Key != "forget_kl_last_epoch"));
        Assert.Equal(blas.Report.Details["forget_kl_last_epoch"], torch.Report.Details["forget_kl_last_epoch"], 1e-3);
        var (blasForget, torchForget) = (Accuracy(blas.Model, forget), Accuracy(torch.Model, forget));
        var (blasRetain, torchRetain) = (Accuracy(blas.Model, retain), Accuracy(torch.Model, retain));
        Assert.True(torchForget < 0.2 && Math.Abs(blasForget - torchForget) < 0.01, $"Forget accuracy: blas {blasForget}, torch {torchForget}.");
        Assert.True(Math.Abs(blasRetain - torchRetain) < 0.005, $"Retain accuracy: blas {blasRetain}, torch {torchRetain}.");
        Assert.Equal(1.0, Accuracy(Trained.Value, forget), 0.05);
    }

    private static double Accuracy(Mlp model, int[] rows) => Evaluator.Evaluate(new MlpClassifier(model), TestData.MnistTrain, rows).Accuracy;
}
