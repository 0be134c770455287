using Microsoft.Extensions.DependencyInjection;
using Orleans.Core;
using Orleans.Serialization;
using Orleans.Storage;

namespace Lethe.Grains.Compute;

/// <summary>
/// Serialises writes of one persistent state: a grain's requests and its background work both write,
/// and two writes of the same state in flight at once would fail on its ETag. Each write starts after
/// the one before has ended (all calls come from the grain's own single-threaded scheduler) and stores a copy
/// of <see cref="State"/> taken when it starts: a provider may serialise the state on another thread once its
/// connection is open, while the grain goes on changing its own. A write that fails leaves the activation's
/// state unlike the stored one (another activation wrote it, or the store did not answer and whether it took
/// the write is unknown): the activation is deactivated, so the next call reads the store again.
/// A failure other than on the ETag throws <see cref="StateWriteException"/>.
/// </summary>
public sealed class StateWrites<T>(IStorage<T> state, IGrainContext owner)
{
    private readonly DeepCopier copier = owner.ActivationServices.GetRequiredService<DeepCopier>();
    private Task last = Task.CompletedTask;
    private QueuedWrite? queued;
    private T? working;

    /// <summary>The grain's state (as read at activation, with the grain's changes since).</summary>
    public T State => working ??= state.State;

    /// <summary>Whether the state has been written before.</summary>
    public bool RecordExists => state.RecordExists;

    /// <summary>Writes the state as it is when the write starts. A write already waiting for the one in flight
    /// will store this caller's changes too, so the caller shares it (a burst of changes costs two writes, not one each).</summary>
    public Task Write()
    {
        if (queued is { Started: false } waiting) return waiting.Done;
        var next = new QueuedWrite();
        next.Done = WriteAfter(last, next);
        queued = next;
        return last = next.Done;
    }

    private async Task WriteAfter(Task previous, QueuedWrite self)
    {
        await previous.ContinueWith(static _ => { }, TaskScheduler.Current);
        self.Started = true;
        state.State = copier.Copy(State)!;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            owner.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e.Message));
            if (e is InconsistentStateException) throw;
            throw new StateWriteException(typeof(T).Name, e);
        }
    }
}

internal sealed class QueuedWrite
{
    public bool Started { get; set; }

    public Task Done { get; set; } = Task.CompletedTask;
}

/// <summary>A grain state's write did not reach the store (see <see cref="StateWrites{T}"/>).</summary>
public sealed class StateWriteException(string state, Exception inner) : Exception($"The store did not take {state}: {inner.Message}", inner);
