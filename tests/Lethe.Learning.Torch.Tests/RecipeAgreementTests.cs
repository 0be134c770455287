namespace Lethe.Learning.Torch.Tests;

public class RecipeAgreementTests
{
    /// <remarks>
    /// Ten steps: the backends round differently, and later a ReLU whose input sits at zero on one
    /// backend and just above it on the other sends the two paths apart by a whole step. Adam's tolerance
    /// is wider because it divides by the gradient's size, so a near-zero gradient's rounding becomes a
    /// visible share of a step.
    /// </remarks>
    [Theory]
    [InlineData("sgd", 1e-6f)]
    [InlineData("adam", 1e-4f)]
    public void From_the_same_initial_weights_both_backends_take_the_same_steps_on_the_same_batches(string optimiser, float tolerance)
    {
        var options = Backends.Recipe(optimiser);
        var records = Backends.FirstRecords(10 * options.BatchSize);
        var initial = Backends.Model(Backends.TrainOnBlas(options with { Epochs = 0 }, records));

        var onBlas = Backends.Model(Backends.TrainOnBlas(options, records));
        var onTorch = Backends.Model(Backends.TrainOnTorch(options, records));

        var between = Backends.MaxAbsDifference(onBlas.Parameters, onTorch.Parameters);
        var moved = Backends.MaxAbsDifference(onBlas.Parameters, initial.Parameters);
        Assert.True(between < tolerance, $"After 10 steps the backends differ by {between} (training moved the parameters by {moved}).");
        Assert.True(moved > 100 * tolerance, $"Training moved the parameters by only {moved}; the comparison says nothing.");
    }
}
