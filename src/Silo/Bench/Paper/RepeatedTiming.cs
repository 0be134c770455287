using System.Diagnostics;

namespace Lethe.Silo.Bench.Paper;

/// <summary>
/// Times several methods on the same problem by one rule for all of them, so identical work is not judged
/// by one sample: every method runs once, in order; the fastest first run among the reference methods sets
/// how many runs every method gets (<see cref="RunsAfter"/>); the further runs go in rounds (every method
/// once per round, in the same order), so a change of the machine's load falls on every method alike. A
/// method's seconds are the median of its runs.
/// </summary>
internal static class RepeatedTiming
{
    /// <summary>Runs every method gets when the reference's first run took <paramref name="firstSeconds"/>: 5 under 0.1 s, 3 under 0.4 s, otherwise 1.</summary>
    public static int RunsAfter(double firstSeconds) => firstSeconds < 0.1 ? 5 : firstSeconds < 0.4 ? 3 : 1;

    /// <summary>Each method's seconds, run by run in the order they ran, by method name.</summary>
    /// <param name="methods">The methods, in the order each round runs them.</param>
    /// <param name="reference">The methods whose fastest first run sets the count (at a runtime point: the two exact paths, the faster of which <c>auto</c> is judged against).</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> Run(IReadOnlyList<(string Method, Action Work)> methods, IReadOnlyCollection<string> reference)
    {
        var runs = methods.ToDictionary(m => m.Method, m => new List<double> { Seconds(m.Work) });
        var count = RunsAfter(reference.Min(method => runs[method][0]));
        for (var round = 1; round < count; round++)
        {
            foreach (var (method, work) in methods) runs[method].Add(Seconds(work));
        }

        return runs.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<double>)pair.Value);
    }

    /// <summary>The median of <paramref name="seconds"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> seconds) => SequentialUserDeletions.Percentile([.. seconds.Order()], 0.5);

    private static double Seconds(Action work)
    {
        var started = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
