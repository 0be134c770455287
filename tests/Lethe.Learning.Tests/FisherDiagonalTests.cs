using Lethe.Learning.Data;
using Lethe.Learning.Fisher;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;

namespace Lethe.Learning.Tests;

/// <summary>The batched Fisher diagonal against a per-example loop that squares each example's own gradient.</summary>
public class FisherDiagonalTests
{
    private const int Features = 6;
    private const int Classes = 3;
    private const int Examples = 23; // not a multiple of the batch size, so the last batch is partial

    public static TheoryData<FisherKind> Kinds => new() { FisherKind.True, FisherKind.Empirical };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_parameter_tensor_matches_a_per_example_loop(FisherKind kind)
    {
        var model = Mlp.Create([Features, 5, 4, Classes], seed: 11);
        var data = RandomDataset(Examples, seed: 12);

        var batched = FisherDiagonal.Compute(model, data, data.AllIndices(), kind, batchSize: 8);
        var reference = PerExampleLoop(model, data, kind);

        foreach (var slot in model.Slots)
        {
            double differenceSquared = 0, normSquared = 0;
            for (var i = slot.Offset; i < slot.Offset + slot.Length; i++)
            {
                differenceSquared += Math.Pow(batched[i] - reference[i], 2);
                normSquared += reference[i] * reference[i];
            }

            Assert.True(normSquared > 0, $"{slot.Name}: the reference is zero, so the comparison would prove nothing");
            var relative = Math.Sqrt(differenceSquared / normSquared);
            Assert.True(relative < 1e-4, $"{slot.Name}: relative error {relative:E2}");
        }
    }

    [Fact]
    public void The_output_bias_has_its_closed_form_p_1_minus_p_for_the_true_kind_and_p_minus_onehot_squared_for_the_empirical()
    {
        var model = Mlp.Create([Features, 5, 4, Classes], seed: 11);
        var data = RandomDataset(Examples, seed: 12);
        var bias = model.Layers[^1].Bias;
        var expectedTrue = new double[Classes];
        var expectedEmpirical = new double[Classes];
        var probabilities = new float[data.Count * Classes];
        new MlpClassifier(model).Probabilities(data, data.AllIndices(), probabilities);
        for (var n = 0; n < data.Count; n++)
        {
            for (var k = 0; k < Classes; k++)
            {
                double p = probabilities[(n * Classes) + k];
                expectedTrue[k] += p * (1 - p) / data.Count;
                expectedEmpirical[k] += Math.Pow(p - (data.Labels[n] == k ? 1 : 0), 2) / data.Count;
            }
        }

        var trueFisher = bias.Of(FisherDiagonal.Compute(model, data, data.AllIndices(), FisherKind.True)).ToArray();
        var empirical = bias.Of(FisherDiagonal.Compute(model, data, data.AllIndices(), FisherKind.Empirical)).ToArray();

        for (var k = 0; k < Classes; k++)
        {
            Assert.Equal(expectedTrue[k], trueFisher[k], 1e-5);
            Assert.Equal(expectedEmpirical[k], empirical[k], 1e-5);
        }
    }

    [Fact]
    public void The_hybrid_kind_is_the_true_Fisher_in_the_hidden_layers_and_the_empirical_one_in_the_output_layer()
    {
        var model = Mlp.Create([Features, 5, 4, Classes], seed: 11);
        var data = RandomDataset(Examples, seed: 12);

        var hybrid = FisherDiagonal.Compute(model, data, data.AllIndices(), FisherKind.TrueHiddenEmpiricalOutput, batchSize: 8);
        var trueFisher = FisherDiagonal.Compute(model, data, data.AllIndices(), FisherKind.True, batchSize: 8);
        var empirical = FisherDiagonal.Compute(model, data, data.AllIndices(), FisherKind.Empirical, batchSize: 8);

        var output = model.Layers[^1];
        foreach (var slot in model.Slots)
        {
            var expected = slot == output.Weight || slot == output.Bias ? empirical : trueFisher;
            Assert.Equal(slot.Of(expected).ToArray(), slot.Of(hybrid).ToArray());
        }

        Assert.NotEqual(trueFisher, hybrid);
        Assert.NotEqual(empirical, hybrid);
    }

    [Fact]
    public void Estimate_averages_over_a_seeded_sample_of_at_most_the_cap()
    {
        var model = Mlp.Create([Features, 5, 4, Classes], seed: 11);
        var data = RandomDataset(200, seed: 13);
        var options = new FisherOptions { MaxSamples = 50, BatchSize = 16 };

        var first = FisherDiagonal.Estimate(model, data, data.AllIndices(), options, seed: 5);
        var again = FisherDiagonal.Estimate(model, data, data.AllIndices(), options, seed: 5);
        var otherSeed = FisherDiagonal.Estimate(model, data, data.AllIndices(), options, seed: 6);
        var everything = FisherDiagonal.Estimate(model, data, data.AllIndices(), options with { MaxSamples = 200 }, seed: 5);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.Equal(FisherDiagonal.Compute(model, data, data.AllIndices(), FisherKind.True, batchSize: 16), everything);
    }

    [Fact]
    public void Misuse_is_rejected()
    {
        var model = Mlp.Create([Features, 5, 4, Classes], seed: 11);
        var data = RandomDataset(10, seed: 12);
        var wide = new Dataset(new byte[10 * 7], new int[10], 7, Classes, Normalisation.UnitScale);

        Assert.Throws<ArgumentException>(() => FisherDiagonal.Compute(model, data, [], FisherKind.True));
        Assert.Throws<ArgumentException>(() => FisherDiagonal.Compute(model, wide, wide.AllIndices(), FisherKind.True));
        Assert.Throws<ArgumentException>(() => FisherDiagonal.Compute(model, data, [0, 10], FisherKind.True));
        Assert.Throws<ArgumentOutOfRangeException>(() => FisherDiagonal.Compute(model, data, data.AllIndices(), FisherKind.True, batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FisherDiagonal.Estimate(model, data, data.AllIndices(), new FisherOptions { MaxSamples = 0 }, seed: 1));
    }

    /// <summary>One example at a time: its gradient of −log p_label (per class c for the true Fisher), squared and summed in double.</summary>
    private static double[] PerExampleLoop(Mlp model, Dataset data, FisherKind kind)
    {
        var workspace = new MlpWorkspace(model, 1);
        var gradient = new float[model.Parameters.Length];
        var probabilities = new float[Classes];
        var sums = new double[model.Parameters.Length];
        for (var n = 0; n < data.Count; n++)
        {
            data.Gather(new[] { n }, workspace.Input, workspace.Labels);
            var logits = workspace.Forward(1);
            Softmax.Row(logits, probabilities);
            var observed = workspace.Labels[0];
            for (var c = 0; c < Classes; c++)
            {
                if (kind == FisherKind.Empirical && c != observed) continue;
                var weight = kind == FisherKind.Empirical ? 1.0 : probabilities[c];
                workspace.Labels[0] = c;
                workspace.ApplyLoss(CrossEntropyLoss.Instance, 1, 1f);
                workspace.Backward(1, gradient);
                for (var i = 0; i < sums.Length; i++) sums[i] += weight * gradient[i] * gradient[i];
            }
        }

        return sums.Select(s => s / data.Count).ToArray();
    }

    private static Dataset RandomDataset(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Features];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(_ => random.Next(Classes)).ToArray();
        return new Dataset(pixels, labels, Features, Classes, new Normalisation(0.5f, 0.25f));
    }
}
