namespace Lethe.Grains.Compute;

/// <summary>
/// Serialises writes of one persistent state: a grain's requests and its background work both write,
/// and two writes of the same state in flight at once would fail on its ETag. Each write starts after
/// the one before has ended (all calls come from the grain's own single-threaded scheduler).
/// </summary>
public sealed class StateWrites<T>(IPersistentState<T> state)
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
        await state.WriteStateAsync();
    }

    private async Task ClearAfter(Task previous)
    {
        await previous.ContinueWith(static _ => { }, TaskScheduler.Current);
        await state.ClearStateAsync();
    }
}
