using Lethe.Learning.Losses;

namespace Lethe.Learning.Tests;

public class LossTests
{
    [Fact]
    public void Cross_entropy_is_minus_log_softmax_of_the_label_and_its_gradient_softmax_minus_onehot()
    {
        float[] logits = [1f, 2f, 3f];
        var delta = new float[3];
        var losses = new float[1];
        CrossEntropyLoss.Instance.Evaluate(logits, [2], 3, delta, 1f, losses);

        var sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(-Math.Log(Math.Exp(3) / sum), losses[0], 5);
        Assert.Equal(Math.Exp(1) / sum, delta[0], 5);
        Assert.Equal((Math.Exp(3) / sum) - 1, delta[2], 5);
    }

    [Fact]
    public void Cross_entropy_stays_finite_for_extreme_logits()
    {
        float[] logits = [1000f, -1000f];
        var delta = new float[2];
        var losses = new float[1];
        CrossEntropyLoss.Instance.Evaluate(logits, [1], 2, delta, 1f, losses);
        Assert.Equal(2000f, losses[0], 1);
        Assert.All(delta, d => Assert.True(float.IsFinite(d)));
    }

    [Fact]
    public void Softmax_of_far_apart_logits_keeps_the_exact_log_sum_exp_and_no_subnormal_probability()
    {
        float[] logits = [3f, 3f - 40f, 3f - 200f, 3f - 1e6f];
        var probabilities = new float[4];
        var logSumExp = Softmax.Row(logits, probabilities);

        Assert.Equal(3 + Math.Log(1 + Math.Exp(-40)), logSumExp, 6);
        Assert.Equal(1f, probabilities[0], 6);
        Assert.Equal(Math.Exp(-40), probabilities[1], Math.Exp(-40) * 1e-5);
        Assert.All(probabilities[2..], p => Assert.True(p is > 0f and < 1e-27f && float.IsNormal(p), $"{p} is not a normal float below 1e-27"));
    }

    [Fact]
    public void Uniform_KL_is_zero_at_equal_logits_and_its_gradient_is_softmax_minus_one_over_C()
    {
        var delta = new float[4];
        var losses = new float[1];
        UniformKlLoss.Instance.Evaluate([0.5f, 0.5f, 0.5f, 0.5f], [0], 4, delta, 1f, losses);
        Assert.Equal(0f, losses[0], 6);
        Assert.All(delta, d => Assert.Equal(0f, d, 6));

        float[] logits = [2f, 0f, 0f, 0f];
        UniformKlLoss.Instance.Evaluate(logits, [0], 4, delta, 1f, losses);
        var sum = Math.Exp(2) + 3;
        var p = new[] { Math.Exp(2) / sum, 1 / sum, 1 / sum, 1 / sum };
        Assert.Equal(p.Sum(pc => 0.25 * Math.Log(0.25 / pc)), losses[0], 5);
        for (var c = 0; c < 4; c++) Assert.Equal(p[c] - 0.25, delta[c], 5);
    }
}
