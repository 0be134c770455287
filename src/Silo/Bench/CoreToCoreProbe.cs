using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Lethe.Silo.Bench;

/// <summary>How expensive it is, at the moment of measuring, for two cores to share data.</summary>
/// <param name="RoundTripNanoseconds">One thread writes a flag, another answers it: the time for both hops.</param>
/// <param name="SharedRewriteSlowdown">
/// Time to rewrite a buffer that another core has just read, over the time to rewrite it when no other
/// core has: the price a training step pays each time it overwrites data both cores read (a batch, activations).
/// </param>
internal sealed record CoreToCore(double RoundTripNanoseconds, double SharedRewriteSlowdown);

/// <summary>
/// Measures <see cref="CoreToCore"/>. On virtual machines whose two vCPUs can be placed on near or on
/// distant physical cores, both figures move by several times from one placement to another, and a
/// two-thread training step moves with them; <c>bench train</c> prints them so its figures can be read
/// against the machine's state when they were taken.
/// </summary>
internal static class CoreToCoreProbe
{
    private const int RoundTrips = 100_000;
    private const int Rewrites = 400;
    private const int BufferFloats = 128 * 1024;
    private const int FloatsPerCacheLine = 16;
    private static readonly TimeSpan IdleWorkers = TimeSpan.FromMilliseconds(50);

    /// <summary>Measures both figures; the first call also warms the probe's own code.</summary>
    public static CoreToCore Measure()
    {
        // Lets the compute pool's workers go idle, so they do not compete with the probe's two threads.
        Thread.Sleep(IdleWorkers);
        RoundTripNanoseconds(RoundTrips / 10);
        return new(RoundTripNanoseconds(RoundTrips), SharedRewriteSlowdown());
    }

    private static double RoundTripNanoseconds(int roundTrips)
    {
        var clock = Stopwatch.StartNew();
        TakeTurns(roundTrips, _ => { }, _ => { });
        return clock.Elapsed.TotalNanoseconds / roundTrips;
    }

    private static double SharedRewriteSlowdown()
    {
        var buffer = new float[BufferFloats];
        var unshared = TimeRewrites(buffer, share: null);
        var sum = 0f;
        var shared = TimeRewrites(buffer, share: rewrite => TakeTurns(Rewrites, rewrite, _ => sum += ReadEveryLine(buffer)));
        return shared / unshared;
    }

    // Seconds spent in the rewrites alone, whether they run back to back or each is followed by another core's read.
    private static double TimeRewrites(float[] buffer, Action<Action<int>>? share)
    {
        double seconds = 0;
        void TimedRewrite(int turn)
        {
            var start = Stopwatch.GetTimestamp();
            Rewrite(buffer, turn);
            seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        if (share is null)
        {
            for (var turn = 0; turn < Rewrites; turn++) TimedRewrite(turn);
        }
        else
        {
            share(TimedRewrite);
        }

        return seconds;
    }

    // The calling thread and a second one run their halves of each turn alternately, handing the turn over through one flag.
    private static void TakeTurns(int turns, Action<int> caller, Action<int> other)
    {
        var flag = new PaddedFlag();
        var second = new Thread(() =>
        {
            for (var i = 0; i < turns; i++)
            {
                while (Volatile.Read(ref flag.Value) != (2 * i) + 1) Thread.SpinWait(1);
                other(i);
                Volatile.Write(ref flag.Value, (2 * i) + 2);
            }
        }) { IsBackground = true };
        second.Start();
        for (var i = 0; i < turns; i++)
        {
            caller(i);
            Volatile.Write(ref flag.Value, (2 * i) + 1);
            while (Volatile.Read(ref flag.Value) != (2 * i) + 2) Thread.SpinWait(1);
        }

        second.Join();
    }

    // Plain vector stores: Span.Fill may take the processor's string-store path, which can bypass the
    // cache and so would hide the cost being measured.
    private static void Rewrite(float[] buffer, float value)
    {
        var values = new Vector<float>(value);
        for (var i = 0; i < buffer.Length; i += Vector<float>.Count) values.CopyTo(buffer, i);
    }

    private static float ReadEveryLine(float[] buffer)
    {
        var sum = 0f;
        for (var i = 0; i < buffer.Length; i += FloatsPerCacheLine) sum += buffer[i];
        return sum;
    }

    // A flag alone on its cache line, so the probe measures the flag's hops and nothing sharing its line.
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private sealed class PaddedFlag
    {
        [FieldOffset(64)]
        public int Value;
    }
}
