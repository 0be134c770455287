using Orleans.Storage;

namespace Lethe.Grains.Compute;

/// <summary>
/// Serialises writes of one persistent state: a grain's requests and its background work both write,
/// and two writes of the same state in flight at once would fail on its ETag. Each write starts after
/// the one before has ended (all calls come from the grain's own single-threaded scheduler). A write that fails
/// leaves the activation's state unlike the stored one (another activation wrote it, or the store did not answer
/// and whether it took the write is unknown): the activation is deactivated, so the next call reads the store again.
/// A failure other than on the ETag throws <see cref="StateWriteException"/>.
/// </summary>
public sealed class StateWrites<T>(IPersistentState<T> state, IGrainContext owner)
{
    private Task last = Task.CompletedTask;

    /// <summary>The state.</summary>
    public T State => state.State;

    /// <summary>Whether the state has been written before.</summary>
    public bool RecordExists => state.RecordExists;

    /// <summary>Writes the state as it is when the write starts.</summary>
    public Task Write() => last = WriteAfter(last);

    /// <summary>Clears the stored state once earlier writes have ended.</summary>
    public Task Clear() => last = ClearAfter(last);

    private async Task WriteAfter(Task previous)
    {
        await previous.ContinueWith(static _ => { }, TaskScheduler.Current);
        await Stored(state.WriteStateAsync());
    }

    private async Task ClearAfter(Task previous)
    {
        await previous.ContinueWith(static _ => { }, TaskScheduler.Current);
        await Stored(state.ClearStateAsync());
    }

    private async Task Stored(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception e)
        {
            owner.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e.Message));
            if (e is InconsistentStateException) throw;
            throw new StateWriteException(typeof(T).Name, e);
        }
    }
}

/// <summary>A grain state's write did not reach the store (see <see cref="StateWrites{T}"/>).</summary>
public sealed class StateWriteException(string state, Exception inner) : Exception($"The store did not take {state}: {inner.Message}", inner);
