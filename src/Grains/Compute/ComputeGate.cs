namespace Lethe.Grains.Compute;

/// <summary>
/// Runs a silo's long numeric work (training, replays, scrubs) off the Orleans scheduler, one job at a
/// time: each job already spreads its products over every core (the compute pool), so two at once
/// would only take cores from each other and stretch both.
/// </summary>
public sealed class ComputeGate : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Jobs waiting for the gate.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    private int waiting;

    /// <summary>Runs <paramref name="work"/> on a thread-pool thread once the gate is free.</summary>
    public async Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }

        try
        {
            return await Task.Run(work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();
}
