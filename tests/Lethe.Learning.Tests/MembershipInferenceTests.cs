using Lethe.Learning.Audits;

namespace Lethe.Learning.Tests;

public class MembershipInferenceTests
{
    [Fact]
    public void Separable_losses_give_one_reversed_give_zero_identical_give_a_half()
    {
        Assert.Equal(1.0, MembershipInference.LossThresholdAuc([0.1f, 0.2f], [0.5f, 0.9f]));
        Assert.Equal(0.0, MembershipInference.LossThresholdAuc([0.5f, 0.9f], [0.1f, 0.2f]));
        Assert.Equal(0.5, MembershipInference.LossThresholdAuc([0.3f, 0.3f], [0.3f, 0.3f]));
    }

    [Fact]
    public void The_rank_formula_equals_counting_every_pair()
    {
        var random = new Random(9);
        var members = Enumerable.Range(0, 300).Select(_ => (float)Math.Round(random.NextDouble(), 2)).ToArray();
        var others = Enumerable.Range(0, 200).Select(_ => (float)Math.Round(random.NextDouble() + 0.1, 2)).ToArray();
        double wins = 0;
        foreach (var m in members)
        {
            foreach (var o in others) wins += m < o ? 1 : m == o ? 0.5 : 0;
        }

        Assert.Equal(wins / (members.Length * others.Length), MembershipInference.LossThresholdAuc(members, others), 12);
    }
}
