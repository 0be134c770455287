namespace Lethe.Grains.Compute;

/// <summary>
/// A silo's long numeric work (training, replays, scrubs) runs off the Orleans scheduler, one job at a
/// time: each job spreads its products over every core (the compute pool), so a deletion's replay ends as
/// soon as the silo can end it; two at once would stretch both. (Many shards trained together would get more
/// done side by side on a thread each, as <c>ShardedModel.Train</c> does in process, but each would finish
/// later, and a shard's latency is what a deletion waits for.) A shard takes its batch of deletions once it holds
/// the gate, so deletions that arrive while it waits join the same update. It is a limit on one process's
/// cores, not a cluster mechanism: which silo runs a shard, and that it runs once, is Orleans' placement and
/// single activation.
/// </summary>
public sealed class ComputeGate : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Waits for the gate; dispose the lease to free it.</summary>
    public async Task<Lease> Enter(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        return new Lease(gate);
    }

    /// <summary>Runs <paramref name="work"/> on a thread of its own once the gate is free (see <see cref="Lease.Run{T}"/>).</summary>
    public async Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        using var lease = await Enter(cancellationToken);
        return await lease.Run(work, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    /// <summary>The right to run one job.</summary>
    public sealed class Lease : IDisposable
    {
        private SemaphoreSlim? gate;

        internal Lease(SemaphoreSlim gate) => this.gate = gate;

        /// <summary>
        /// Runs <paramref name="work"/> on a thread of its own, off the caller's scheduler. Not on a pool thread: a job
        /// holds its thread for seconds with every core busy, when the pool adds threads slowly, and the silo's turns
        /// run on the pool: a shard's stage checkpoints, stored while the later stages train, would wait for the job to end.
        /// </summary>
        public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(gate is null, this);
            return Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <inheritdoc />
        public void Dispose() => Interlocked.Exchange(ref gate, null)?.Release();
    }
}
