using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Tests;

namespace Lethe.Learning.Torch.Tests;

public class PredictionAgreementTests
{
    private const float Tolerance = 1e-5f;
    private static readonly int[] Records = Backends.FirstRecords(6000);

    [Theory]
    [InlineData("blas")]
    [InlineData("torch")]
    public void Both_backends_predict_the_mnist_test_set_within_1e_5_from_a_checkpoint_either_one_trained(string trainedOn)
    {
        var options = Backends.Recipe("adam", epochs: 2);
        var checkpoint = trainedOn == "blas" ? Backends.TrainOnBlas(options, Records) : Backends.TrainOnTorch(options, Records);
        var test = TestData.MnistTest;

        var blas = new MlpClassifier(Backends.Model(checkpoint));
        var (model, _) = TorchCheckpoint.Load(checkpoint, TorchCpu.Device);
        using var owned = model;
        var torch = new TorchClassifier(model);

        var difference = Backends.MaxAbsDifference(Backends.Probabilities(blas, test), Backends.Probabilities(torch, test));
        Assert.True(difference <= Tolerance, $"The backends' probabilities differ by up to {difference} on the test set.");
        var accuracy = Evaluator.Evaluate(torch, test).Accuracy;
        Assert.True(accuracy > 0.9, $"Test accuracy {accuracy}: the model should have learned MNIST; agreement on an untrained model says little.");
    }
}
