using Lethe.Learning.Data;
using Lethe.Learning.Kernels;
using Lethe.Learning.Losses;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Tests;

/// <summary>The small pieces the unlearning methods are built from: the gated loss, the preconditioned step, sampling and noise.</summary>
public class ScrubBuildingBlockTests
{
    [Fact]
    public void The_gated_loss_is_uniform_KL_above_a_label_threshold_and_zero_at_or_below_it()
    {
        float[] logits = [4f, 0f, 0f, /* label 0 confident */ 0f, 0f, 0f, /* label 1 at chance */ -3f, 1f, 0f /* label 0 unlikely */];
        int[] labels = [0, 1, 0];
        var gated = new float[9];
        var plain = new float[9];
        var gatedLosses = new float[3];
        var plainLosses = new float[3];

        new GatedUniformKlLoss([1f / 3, 1f / 3, 1f / 3]).Evaluate(logits, labels, 3, gated, 0.5f, gatedLosses);
        UniformKlLoss.Instance.Evaluate(logits, labels, 3, plain, 0.5f, plainLosses);

        Assert.Equal(plainLosses[0], gatedLosses[0]);
        Assert.Equal(plain[..3], gated[..3]);
        Assert.True(gatedLosses[0] > 0);
        Assert.Equal([0f, 0f], gatedLosses[1..]);
        Assert.All(gated[3..], d => Assert.Equal(0f, d));
        Assert.Throws<ArgumentException>(() => new GatedUniformKlLoss([0.5f, 0.5f]).Evaluate(logits, labels, 3, gated, 1f, gatedLosses));
    }

    [Fact]
    public void The_preconditioned_step_is_the_scaled_gradient_clamped()
    {
        float[] fisher = [0f, 1f, 3f, 0f];
        float[] parameters = [1f, 1f, 1f, 1f];
        float[] gradients = [0.5f, 2f, 4f, -100f];
        var optimiser = PreconditionedSgd.FromFisher(fisher, damping: 1f, learningRate: 0.1f, maxStep: 0.5f);

        optimiser.Step(parameters, gradients);

        // Steps lr·g/(F+α): 0.05, 0.1, 0.1, then -10 clamped to -0.5.
        Assert.Equal([0.95f, 0.9f, 0.9f, 1.5f], parameters);
        Assert.Equal([0.5f, 2f, 4f, -100f], gradients);
        Assert.Equal(1, optimiser.Steps);
        Assert.Throws<ArgumentException>(() => optimiser.Apply(new float[3], new float[3], 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => PreconditionedSgd.FromFisher(fisher, damping: 0f, learningRate: 0.1f, maxStep: 1f));
    }

    [Fact]
    public void A_sample_is_distinct_rows_of_the_input_ascending_and_fixed_by_its_seed()
    {
        var rows = Enumerable.Range(0, 1000).Select(i => i * 3).ToArray();

        var sample = IndexSampling.Draw(rows, 100, new Random(4));

        Assert.Equal(100, sample.Distinct().Count());
        Assert.All(sample, r => Assert.Contains(r, rows));
        Assert.Equal(sample.Order(), sample);
        Assert.Equal(sample, IndexSampling.Draw(rows, 100, new Random(4)));
        Assert.NotEqual(sample, IndexSampling.Draw(rows, 100, new Random(5)));
        Assert.Equal(rows, IndexSampling.Draw(rows, 5000, new Random(4)));
    }

    [Fact]
    public void Gaussian_noise_has_mean_zero_and_variance_one_and_is_fixed_by_its_seed()
    {
        var samples = new float[200_001];
        GaussianNoise.Fill(new Random(3), samples);
        var again = new float[samples.Length];
        GaussianNoise.Fill(new Random(3), again);

        var mean = samples.Average(x => (double)x);
        var variance = samples.Average(x => (x - mean) * (x - mean));
        Assert.True(Math.Abs(mean) < 0.01, $"mean {mean}");
        Assert.True(Math.Abs(variance - 1) < 0.02, $"variance {variance}");
        Assert.True(samples.Count(x => Math.Abs(x) > 3) is > 400 and < 700, "about 0.27% of the samples lie beyond three deviations");
        Assert.Equal(samples, again);
    }
}
