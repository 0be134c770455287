using System.Threading.Channels;
using Lethe.Grains.Compute;
using Lethe.Learning.Sharding;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core;
using Orleans.Storage;

namespace Lethe.Grains.Shards;

/// <summary>
/// A shard grain's stage checkpoints: one grain state per stage, <c>shard-stage-{stage}</c>, in the shard's store. The
/// stage count is known only once the shard has its spec, so the states are bridged to the store when first needed
/// rather than declared (a declared state joins the activation's lifecycle, which has started by then).
/// </summary>
internal sealed class ShardStages(IGrainContext grain)
{
    private readonly IGrainStorage store = grain.ActivationServices.GetRequiredKeyedService<IGrainStorage>("lethe");
    private readonly List<StateWrites<ShardStageState>> stages = [];

    /// <summary>The stages read so far.</summary>
    public int Count => stages.Count;

    /// <summary>Stage <paramref name="stage"/>'s state as stored.</summary>
    public ShardStageState this[int stage] => stages[stage].State;

    /// <summary>Reads the states of stages 0..<paramref name="count"/>-1 not read yet (a write needs the stored version).</summary>
    public async Task Load(int count)
    {
        for (var stage = stages.Count; stage < count; stage++)
        {
            var state = new StateStorageBridge<ShardStageState>($"shard-stage-{stage}", grain, store);
            await state.ReadStateAsync();
            stages.Add(new StateWrites<ShardStageState>(state, grain));
        }
    }

    /// <summary>Stores <paramref name="checkpoint"/> as stage <paramref name="stage"/>'s, written by <paramref name="update"/> (empty: the stage keeps nothing).</summary>
    public Task Write(int stage, Guid update, ReadOnlyMemory<byte> checkpoint)
    {
        var state = stages[stage].State;
        state.Update = update;
        state.Checkpoint = checkpoint.ToArray();
        return stages[stage].Write();
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a training or replay, off the grain's scheduler through <paramref name="lease"/>) and
    /// stores each stage's checkpoint as <paramref name="update"/>'s while the later stages train. Returns when the work
    /// has ended, with when it ended and the storing of its stages, which ends with the stages stored. A work that fails
    /// throws once its stages are stored (a later update must not meet this one's writes).
    /// </summary>
    public async Task<(T Result, Task<IReadOnlySet<int>> Stored, long WorkEnded)> RunStoring<T>(ComputeGate.Lease lease, Guid update, Func<IProgress<TrainedStage>, T> work)
    {
        var trained = Channel.CreateUnbounded<TrainedStage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var storing = StoreAll(trained.Reader, update);
        long ended = 0;
        try
        {
            var result = await lease.Run(() =>
            {
                try
                {
                    return work(new ChannelProgress(trained.Writer));
                }
                finally
                {
                    trained.Writer.TryComplete();
                    ended = System.Diagnostics.Stopwatch.GetTimestamp();
                }
            });
            return (result, storing, ended);
        }
        catch
        {
            trained.Writer.TryComplete();
            await storing;
            throw;
        }
    }

    private async Task<IReadOnlySet<int>> StoreAll(ChannelReader<TrainedStage> trained, Guid update)
    {
        var stored = new HashSet<int>();
        await foreach (var stage in trained.ReadAllAsync())
        {
            await Write(stage.Slice, update, stage.Checkpoint);
            stored.Add(stage.Slice);
        }

        return stored;
    }

    private sealed class ChannelProgress(ChannelWriter<TrainedStage> writer) : IProgress<TrainedStage>
    {
        public void Report(TrainedStage value) => writer.TryWrite(value);
    }
}
