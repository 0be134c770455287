using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Lethe.Learning.Threading;

/// <summary>
/// A fixed team of threads (the caller plus <c>Threads - 1</c> workers) that runs the parts of one
/// numeric operation at a time and waits for all of them. Workers spin briefly between operations,
/// as a BLAS thread team does, so a training step can hand out many small operations without paying
/// a thread wake-up for each; after an idle spell they block.
/// </summary>
/// <remarks>
/// Part i is first offered to team member i (the caller is member 0), so the same thread keeps
/// touching the same block of data from one operation to the next and its writes do not have to
/// take cache lines away from the other cores. Parts are claimed, though, so when a worker is
/// descheduled (a busy machine, a CPU quota) the others run its part instead of waiting for it.
/// Results never depend on who runs a part; callers whose results depend on how work is cut (a
/// product's blocks) cut it by shape, not by <see cref="Threads"/> (see <c>Gemm.Parts</c>). A call made while the team is busy (another thread's
/// operation, or from inside a part) runs all parts on the calling thread.
/// </remarks>
public static class ComputePool
{
    private const int SpinsBeforeBlocking = 20_000;
    private const int SpinsBetweenYields = 64;

    private static readonly object RunLock = new();
    private static readonly object SleepGate = new();
    private static int threads = Environment.ProcessorCount;
    private static int workerCount;
    private static Operation? current;
    private static int sleepers;

    [ThreadStatic] private static bool insidePart;

    /// <summary>Threads an operation is split over (default: one per processor available to the process).</summary>
    public static int Threads
    {
        get => threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (RunLock) threads = value;
        }
    }

    /// <summary>Runs <paramref name="part"/>(0 .. parts-1) on up to <see cref="Threads"/> threads and returns when all have finished.</summary>
    public static void Run(int parts, Action<int> part)
    {
        var team = Math.Min(parts, threads);
        if (team <= 1 || insidePart || !Monitor.TryEnter(RunLock))
        {
            for (var i = 0; i < parts; i++) part(i);
            return;
        }

        try
        {
            team = Math.Min(parts, threads);
            EnsureWorkers(team - 1);
            RunOnTeam(new Operation(parts, team, part));
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
    private static void RunOnTeam(Operation operation)
    {
        Volatile.Write(ref current, operation);
        if (Volatile.Read(ref sleepers) > 0)
        {
            lock (SleepGate) Monitor.PulseAll(SleepGate);
        }

        operation.RunParts(0);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref operation.Pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
        if (operation.Failure is { } error) ExceptionDispatchInfo.Capture(error).Throw();
    }

    private static void EnsureWorkers(int count)
    {
        for (; workerCount < count; workerCount++)
        {
            var member = workerCount + 1;
            new Thread(() => WorkerLoop(member)) { IsBackground = true, Name = $"lethe-compute-{member}" }.Start();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WorkerLoop(int member)
    {
        Operation? seen = null;
        while (true)
        {
            seen = WaitForNewOperation(seen);
            seen.RunParts(member);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Operation WaitForNewOperation(Operation? seen)
    {
        for (var spin = 1; spin <= SpinsBeforeBlocking; spin++)
        {
            var latest = Volatile.Read(ref current);
            if (latest is not null && latest != seen) return latest;
            if (spin % SpinsBetweenYields == 0) Thread.Yield();
            else Thread.SpinWait(8);
        }

        lock (SleepGate)
        {
            Interlocked.Increment(ref sleepers);
            try
            {
                while (true)
                {
                    var latest = Volatile.Read(ref current);
                    if (latest is not null && latest != seen) return latest;
                    Monitor.Wait(SleepGate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref sleepers);
            }
        }
    }

    /// <summary>One operation's parts: each claimed once, its own part first by each of the first <c>team</c> members.</summary>
    private sealed class Operation
    {
        private readonly int parts;
        private readonly int team;
        private readonly Action<int> part;
        private readonly int[] claimed;
        private Exception? failure;

        public Operation(int parts, int team, Action<int> part)
        {
            this.parts = parts;
            this.team = team;
            this.part = part;
            claimed = new int[parts];
            Pending = parts;
        }

        /// <summary>Parts not yet finished.</summary>
        public int Pending;

        /// <summary>The first exception a part threw, if any.</summary>
        public Exception? Failure => Volatile.Read(ref failure);

        /// <summary>Runs part <paramref name="member"/> if it is still free, then any other free part.</summary>
        public void RunParts(int member)
        {
            if (member >= team) return;
            TryRun(member);
            for (var index = 0; index < parts && Volatile.Read(ref Pending) > 0; index++) TryRun(index);
        }

        private void TryRun(int index)
        {
            if (Interlocked.CompareExchange(ref claimed[index], 1, 0) != 0) return;
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
                Interlocked.Decrement(ref Pending);
            }
        }
    }
}
