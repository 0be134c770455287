using Lethe.Silo.Bench.Paper;

namespace Lethe.Silo.Tests;

public class RepeatedTimingTests
{
    [Theory]
    [InlineData(0L, 7)]
    [InlineData(11_999L, 7)]
    [InlineData(12_000L, 5)]
    [InlineData(3_000_000L, 5)]
    public void The_work_at_stake_sets_how_many_runs_every_method_gets(long samples, int runs) =>
        Assert.Equal(runs, RepeatedTiming.RunsFor(samples));

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Every_method_runs_as_often_as_asked_in_rounds_every_other_one_reversed(int runs)
    {
        var calls = new List<string>();
        Action Sleeping(string method, int milliseconds) => () =>
        {
            calls.Add(method);
            Thread.Sleep(milliseconds);
        };

        var timed = RepeatedTiming.Run([("instant", Sleeping("instant", 0)), ("tenth", Sleeping("tenth", 120))], runs);

        Assert.Equal(Enumerable.Range(0, runs).SelectMany(round => round % 2 == 0 ? ["instant", "tenth"] : new[] { "tenth", "instant" }), calls);
        Assert.All(timed.Values, seconds => Assert.Equal(runs, seconds.Count));
        Assert.All(timed["tenth"], seconds => Assert.InRange(seconds, 0.119, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => RepeatedTiming.Run([("instant", Sleeping("instant", 0))], 0));
    }

    [Fact]
    public void A_methods_seconds_are_the_median_of_its_runs()
    {
        Assert.Equal(0.3, RepeatedTiming.Median([0.9, 0.1, 0.3]), 12);
        Assert.Equal(0.25, RepeatedTiming.Median([0.4, 0.1, 0.3, 0.2]), 12);
    }
}
