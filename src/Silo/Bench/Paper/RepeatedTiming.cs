using System.Diagnostics;

namespace Lethe.Silo.Bench.Paper;

/// <summary>
/// Times several methods on the same problem by one rule for all of them, so identical work is not judged
/// by one sample: the work at stake (not a first timing, which a loaded machine stretches) sets how many runs
/// every method gets (<see cref="RunsFor"/>); the runs go in rounds (every method once per round), so a change
/// of the machine's load falls on every method alike, and every other round runs the methods in reverse, so a
/// method follows each of its neighbours as often (and finds their data in the caches as often); the two at the
/// ends run twice in a row where rounds meet. Each run starts from a collected heap, so none pays for another's
/// garbage. A method's seconds are the median of its runs.
/// </summary>
internal static class RepeatedTiming
{
    /// <summary>
    /// Runs every method gets when the cheaper exact path trains <paramref name="samples"/> examples: 7 under
    /// 12,000 (under about 0.1 s on 2 idle cores, where fixed costs and a moment's load weigh most), otherwise 5.
    /// </summary>
    public static int RunsFor(long samples) => samples < 12_000 ? 7 : 5;

    /// <summary>Each method's seconds, run by run in the order they ran, by method name.</summary>
    /// <param name="methods">The methods, in the order the first round runs them.</param>
    /// <param name="runs">Rounds to run.</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> Run(IReadOnlyList<(string Method, Action Work)> methods, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var timed = methods.ToDictionary(m => m.Method, _ => new List<double>());
        for (var round = 0; round < runs; round++)
        {
            foreach (var (method, work) in round % 2 == 0 ? methods : methods.Reverse()) timed[method].Add(Seconds(work));
        }

        return timed.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<double>)pair.Value);
    }

    /// <summary>The median of <paramref name="seconds"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> seconds) => SequentialUserDeletions.Percentile([.. seconds.Order()], 0.5);

    /// <summary>Collects the heap, so the next timing does not pay for garbage left by the work before it (a millisecond or so here: the heap is mostly large arrays).</summary>
    public static void SettleHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static double Seconds(Action work)
    {
        SettleHeap();
        var started = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
