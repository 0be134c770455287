using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Tests;

public class OptimiserTests
{
    [Fact]
    public void Adam_matches_the_published_update_rule_computed_in_double_precision()
    {
        const int n = 3000; // more than one vector and a scalar tail, split over the pool
        var parameters = Enumerable.Range(0, n).Select(i => MathF.Sin(i)).ToArray();
        var adam = new Adam(n, learningRate: 0.01f);
        var p = parameters.Select(x => (double)x).ToArray();
        var m = new double[n];
        var v = new double[n];
        for (var t = 1; t <= 3; t++)
        {
            var gradients = Enumerable.Range(0, n).Select(i => MathF.Cos(i * t) * 0.1f).ToArray();
            adam.Step(parameters, gradients);
            for (var i = 0; i < n; i++)
            {
                m[i] = (0.9 * m[i]) + (0.1 * gradients[i]);
                v[i] = (0.999 * v[i]) + (0.001 * gradients[i] * gradients[i]);
                var mHat = m[i] / (1 - Math.Pow(0.9, t));
                var vHat = v[i] / (1 - Math.Pow(0.999, t));
                p[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }

        for (var i = 0; i < n; i++) Assert.Equal(p[i], parameters[i], 1e-5);
    }

    [Fact]
    public void SGD_with_momentum_matches_PyTorch_semantics()
    {
        var parameters = new[] { 1f, -2f };
        var sgd = new SgdMomentum(2, learningRate: 0.1f, momentum: 0.5f);
        sgd.Step(parameters, [1f, 2f]);   // b = g;          p -= 0.1 b
        sgd.Step(parameters, [1f, 2f]);   // b = 0.5 b + g;  p -= 0.1 b
        Assert.Equal(1f - 0.1f - 0.15f, parameters[0], 6);
        Assert.Equal(-2f - 0.2f - 0.3f, parameters[1], 6);
    }

    [Fact]
    public void Updating_layer_ranges_one_by_one_equals_one_whole_step()
    {
        var whole = Enumerable.Range(0, 5000).Select(i => i * 1e-3f).ToArray();
        var ranged = (float[])whole.Clone();
        var gradients = Enumerable.Range(0, 5000).Select(i => MathF.Sin(i)).ToArray();
        var a = new Adam(5000);
        var b = new Adam(5000);
        a.Step(whole, gradients);
        b.BeginStep();
        b.Apply(ranged, gradients, 3000, 2000);
        b.Apply(ranged, gradients, 0, 3000);
        Assert.Equal(whole, ranged);
    }

    [Fact]
    public void Misuse_is_rejected()
    {
        var adam = new Adam(4);
        Assert.Throws<InvalidOperationException>(() => adam.Apply(new float[4], new float[4], 0, 4));
        Assert.Throws<ArgumentException>(() => adam.Step(new float[5], new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(4, learningRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdMomentum(4, momentum: 1.5f));
        Assert.Throws<ArgumentException>(() => adam.LoadState(new SgdMomentum(4).SaveState()));
    }
}
