using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Lethe.Learning.Threading;

/// <summary>
/// A fixed team of threads (the caller plus <c>Threads - 1</c> workers) that runs the parts of one
/// numeric operation at a time and waits for all of them. Workers spin briefly between parts, as a
/// BLAS thread team does, so a training step can hand out several small operations without paying
/// a thread wake-up for each; after a long idle spell they block.
/// </summary>
/// <remarks>
/// How work is split depends only on <see cref="Threads"/>, never on who runs a part, so results
/// are bit-identical for the same thread count. A call made while the team is busy (another thread's
/// operation, or from inside a part) runs all parts on the calling thread.
/// </remarks>
public static class ComputePool
{
    private const int SpinIterationsBeforeBlocking = 25_000;

    private static readonly object RunLock = new();
    private static readonly object SleepGate = new();
    private static Worker[] workers = [];
    private static int threads = Environment.ProcessorCount;
    private static Action<int>? currentPart;
    private static int generation;
    private static int pending;
    private static int sleepers;
    private static Exception? failure;

    [ThreadStatic] private static bool insidePart;

    /// <summary>Threads an operation is split over (default: one per processor).</summary>
    public static int Threads
    {
        get => threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (RunLock) threads = value;
        }
    }

    /// <summary>Runs <paramref name="part"/>(0 .. parts-1) and returns when all have finished.</summary>
    public static void Run(int parts, Action<int> part)
    {
        if (parts <= 1)
        {
            if (parts == 1) part(0);
            return;
        }

        if (insidePart || !Monitor.TryEnter(RunLock))
        {
            for (var i = 0; i < parts; i++) part(i);
            return;
        }

        try
        {
            EnsureWorkers(parts - 1);
            RunOnTeam(parts, part);
        }
        finally
        {
            Monitor.Exit(RunLock);
        }
    }

    /// <summary>
    /// Splits [0, count) into <see cref="Threads"/> contiguous ranges whose starts are multiples of
    /// <paramref name="grain"/> and runs <paramref name="body"/>(start, end) on each non-empty one.
    /// </summary>
    public static void For(int count, int grain, Action<int, int> body)
    {
        var parts = Math.Min(Threads, Math.Max(1, count / Math.Max(1, grain)));
        Run(parts, i => body(Boundary(count, grain, parts, i), Boundary(count, grain, parts, i + 1)));
    }

    /// <summary>The start of range <paramref name="index"/> when [0, count) is cut into <paramref name="parts"/> grain-aligned ranges.</summary>
    public static int Boundary(int count, int grain, int parts, int index) =>
        index >= parts ? count : Math.Min(count, (int)((long)count * index / parts / grain * grain));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunOnTeam(int parts, Action<int> part)
    {
        failure = null;
        currentPart = part;
        Volatile.Write(ref pending, parts - 1);
        for (var i = 0; i < parts - 1; i++) workers[i].Assigned = true;
        Interlocked.Increment(ref generation);
        if (Volatile.Read(ref sleepers) > 0)
        {
            lock (SleepGate) Monitor.PulseAll(SleepGate);
        }

        Execute(part, 0);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        currentPart = null;
        if (failure is { } error) ExceptionDispatchInfo.Capture(error).Throw();
    }

    private static void Execute(Action<int> part, int index)
    {
        insidePart = true;
        try
        {
            part(index);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
        }
        finally
        {
            insidePart = false;
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (workers.Length >= count) return;
        var grown = new Worker[count];
        workers.CopyTo(grown, 0);
        for (var i = workers.Length; i < count; i++) grown[i] = new Worker(i + 1);
        workers = grown;
    }

    private sealed class Worker
    {
        private readonly int index;
        private int seen;

        public Worker(int index)
        {
            this.index = index;
            seen = Volatile.Read(ref generation);
            new Thread(Loop) { IsBackground = true, Name = $"lethe-compute-{index}" }.Start();
        }

        public volatile bool Assigned;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            while (true)
            {
                WaitForWork();
                seen = Volatile.Read(ref generation);
                if (!Assigned) continue;
                Assigned = false;
                Execute(currentPart!, index);
                Interlocked.Decrement(ref pending);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WaitForWork()
        {
            for (var i = 0; i < SpinIterationsBeforeBlocking; i++)
            {
                if (Volatile.Read(ref generation) != seen) return;
                Thread.SpinWait(8);
            }

            lock (SleepGate)
            {
                Interlocked.Increment(ref sleepers);
                while (Volatile.Read(ref generation) == seen) Monitor.Wait(SleepGate);
                Interlocked.Decrement(ref sleepers);
            }
        }
    }
}
