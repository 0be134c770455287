using Lethe.Silo.Bench.Paper;

namespace Lethe.Silo.Tests;

public class RepeatedTimingTests
{
    [Theory]
    [InlineData(0.002, 5)]
    [InlineData(0.0999, 5)]
    [InlineData(0.1, 3)]
    [InlineData(0.3999, 3)]
    [InlineData(0.4, 1)]
    [InlineData(40.0, 1)]
    public void The_references_first_run_sets_how_many_runs_every_method_gets(double firstSeconds, int runs) =>
        Assert.Equal(runs, RepeatedTiming.RunsAfter(firstSeconds));

    [Theory]
    [InlineData(new[] { "instant", "tenth" }, 5)] // the faster reference ran in well under 0.1 s
    [InlineData(new[] { "tenth", "slow" }, 3)]    // 0.12 s
    [InlineData(new[] { "slow" }, 1)]             // 0.45 s
    public void Every_method_runs_as_often_as_the_fastest_reference_sets_in_rounds(string[] reference, int runs)
    {
        var calls = new List<string>();
        Action Sleeping(string method, int milliseconds) => () =>
        {
            calls.Add(method);
            Thread.Sleep(milliseconds);
        };

        var timed = RepeatedTiming.Run([("instant", Sleeping("instant", 0)), ("tenth", Sleeping("tenth", 120)), ("slow", Sleeping("slow", 450))], reference);

        Assert.Equal(Enumerable.Repeat<string[]>(["instant", "tenth", "slow"], runs).SelectMany(round => round), calls);
        Assert.All(timed.Values, seconds => Assert.Equal(runs, seconds.Count));
        Assert.All(timed["tenth"], seconds => Assert.InRange(seconds, 0.119, 10));
    }

    [Fact]
    public void A_methods_seconds_are_the_median_of_its_runs()
    {
        Assert.Equal(0.3, RepeatedTiming.Median([0.9, 0.1, 0.3]), 12);
        Assert.Equal(0.25, RepeatedTiming.Median([0.4, 0.1, 0.3, 0.2]), 12);
    }
}
