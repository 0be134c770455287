using System.Diagnostics;
using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Grains.Data;
using Lethe.Grains.Devices;
using Lethe.Grains.Metrics;
using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Learning.Sharding;
using Lethe.Learning.Unlearning;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Lethe.Grains.Shards;

/// <summary>
/// One SISA shard. Requests are short: they record what is asked and start the worker, which trains,
/// scrubs and replays off the Orleans scheduler (<see cref="ComputeGate"/>), writes the new state, then
/// tells the coordinator. Each update takes every deletion queued when it starts, so deletions that
/// arrive during an update share the next one. Each stage's checkpoint is stored in a state of its own as
/// soon as it is trained (<see cref="ShardStages"/>); the model state written after them commits the update.
/// A crash before that commit leaves stages holding an uncommitted update's checkpoints: the shard replays
/// from the first of them at the latest. A crash between the commit and the queue write leaves queued
/// deletions whose records the shard no longer holds: applying them again changes nothing.
/// </summary>
[PreferGpuSilos]
[Orleans.Placement.RandomPlacement] // shards are a silo's heaviest work: spread them (the default places a burst of activations where their caller is)
public sealed partial class ShardGrain(
    [PersistentState("shard", "lethe")] IPersistentState<ShardModelState> model,
    [PersistentState("shard-queue", "lethe")] IPersistentState<ShardQueueState> queue,
    DatasetCatalog datasets,
    ComputeGate gate,
    IComputeBackend backend,
    LetheMetrics metrics,
    ILocalSiloDetails silo,
    IGrainContext context,
    ILogger<ShardGrain> logger) : Grain, IShardGrain
{
    private const int AttemptsBeforeFailing = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly FisherScrubOptions ScrubOptions = new();
    private Shard? shard;
    private Task? worker;
    private IGrainTimer? keepAlive;
    private readonly StateWrites<ShardQueueState> queueWrites = new(queue, context);
    private readonly StateWrites<ShardModelState> modelWrites = new(model, context);
    private readonly ShardStages stages = new(context);
    private int failures;
    private bool updating;
    private (int FromSlice, CancellationTokenSource Cancel)? replaying;

    private string ModelId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().LastIndexOf('/')];

    private int Index => int.Parse(this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key of shard <paramref name="index"/> of <paramref name="modelId"/>.</summary>
    public static string Key(string modelId, int index) => $"{modelId}/{index}";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (modelWrites.State.Spec is { } spec) await stages.Load(ModelRecipe.ShardingOptions(spec).Slices);
        await Resume();
    }

    /// <inheritdoc />
    public async Task Train(ShardAssignment assignment)
    {
        var spec = assignment.Spec with { Ownership = assignment.Spec.Ownership with { Owners = null } };
        if (modelWrites.State.Spec is { } existing)
        {
            if (existing != spec) throw LetheException.Conflict($"Shard {this.GetPrimaryKeyString()} was assigned another spec.");
            if (!modelWrites.State.Trained) StartWorker();
            return;
        }

        var options = ModelRecipe.ShardingOptions(spec);
        if (assignment.Slices.Length != options.Slices) throw LetheException.Invalid("slices", $"{assignment.Slices.Length} slices for a recipe of {options.Slices}");
        modelWrites.State.Spec = spec;
        modelWrites.State.Slices = assignment.Slices;
        await modelWrites.Write();
        StartWorker();
    }

    /// <inheritdoc />
    public async Task Enqueue(IReadOnlyList<ShardDeletion> deletions)
    {
        if (modelWrites.State.Spec is null) throw LetheException.Conflict($"Shard {this.GetPrimaryKeyString()} has no records assigned yet.");
        var fresh = deletions.Where(d => queueWrites.State.Items.All(item => item.DeletionId != d.DeletionId)).ToList();
        if (fresh.Any(d => d.Method == UnlearningMethod.Auto)) throw LetheException.Invalid("method", "a shard carries out a resolved method, not auto");
        if (fresh.Count > 0)
        {
            queueWrites.State.Items.AddRange(fresh.Select(d => new QueuedDeletion { DeletionId = d.DeletionId, Records = d.Records, Method = d.Method }));
            await queueWrites.Write();
            SupersedeReplay(fresh);
        }

        StartWorker();
    }

    /// <inheritdoc />
    public Task Resume()
    {
        if (modelWrites.State.Spec is not null && (!modelWrites.State.Trained || queueWrites.State.Items.Count > 0)) StartWorker();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ShardPlan> Plan(int[] records) =>
        Task.FromResult(Current() is { } current ? ShardPlan.From(current.Plan(records)) : throw LetheException.Conflict($"Shard {this.GetPrimaryKeyString()} is not trained yet."));

    /// <inheritdoc />
    public Task<ShardStatus> GetStatus()
    {
        var state = modelWrites.State;
        var exact = state.Trained && (shard?.ServesExactModel ?? (state.ApproximateFromSlice is null && UncommittedFrom() is null));
        return Task.FromResult(new ShardStatus(
            Index, state.Trained, state.Slices.Sum(s => s.Length), state.Version, exact, state.WeightHash, queueWrites.State.Items.Count, state.Replays,
            updating, state.Engine, backend.Device, silo.Name));
    }

    /// <inheritdoc />
    public async Task<float[]> Predict(PredictionRequest request)
    {
        var current = Current() ?? throw LetheException.Conflict($"Shard {this.GetPrimaryKeyString()} is not trained yet.");
        if (current.Model is null) return [];
        var spec = modelWrites.State.Spec!;
        var (data, rows) = PredictionInputs.Resolve(request, datasets.Test(spec.Dataset));
        return await Task.Run(() =>
        {
            var probabilities = new float[rows.Length * data.ClassCount];
            current.Probabilities(data, rows, probabilities);
            return probabilities;
        });
    }

    private void StartWorker()
    {
        if (worker is { IsCompleted: false }) return;
        keepAlive ??= this.RegisterGrainTimer(static () => Task.CompletedTask,
            new GrainTimerCreationOptions { DueTime = TimeSpan.FromMinutes(1), Period = TimeSpan.FromMinutes(1), Interleave = true, KeepAlive = true });
        worker = RunWorker();
    }

    // Runs on the grain's scheduler as background turns (not a request), so requests keep being served while it waits.
    private async Task RunWorker()
    {
        try
        {
            while (true)
            {
                try
                {
                    if (!await Step()) break;
                    failures = 0;
                }
                catch (Exception e) when (e is InconsistentStateException or StateWriteException)
                {
                    // The activation is going (see StateWrites): the shard reloads from the store when next called.
                    LogUpdateFailed(logger, this.GetPrimaryKeyString(), ++failures, e);
                    return;
                }
                catch (Exception e)
                {
                    LogUpdateFailed(logger, this.GetPrimaryKeyString(), ++failures, e);
                    if (failures >= AttemptsBeforeFailing) await FailQueued(e.Message);
                    else await Task.Delay(RetryDelay * failures);
                }
            }
        }
        finally
        {
            keepAlive?.Dispose();
            keepAlive = null;
        }
    }

    // One update: training, a scrub, or an exact replay. False when there is nothing left to do.
    private async Task<bool> Step()
    {
        var spec = modelWrites.State.Spec!;
        var options = ModelRecipe.ShardingOptions(spec);
        var data = datasets.Train(spec.Dataset);
        await stages.Load(options.Slices);
        if (!modelWrites.State.Trained)
        {
            await TrainShard(data, options, spec.Seed);
            return true;
        }

        using var lease = await gate.Enter();
        using var running = Running();
        var current = Current()!;
        var batch = queueWrites.State.Items.ToList(); // taken with the gate held: deletions that arrived while it waited join this update
        if (batch.Count == 0) return false;

        var scrubbing = batch.Where(item => item.Method != UnlearningMethod.Sisa && !item.Scrubbed).ToList();
        if (scrubbing.Count > 0)
        {
            var records = scrubbing.SelectMany(item => item.Records).ToArray();
            var started = Stopwatch.GetTimestamp();
            var (scrubbed, _) = await lease.Run(() => current.Scrub(data, records, ScrubOptions, spec.Seed));
            lease.Dispose();
            var served = scrubbing.Select(item => new ServedDeletion(item.DeletionId, Exact: false)).ToList();
            foreach (var item in scrubbing) item.Scrubbed = true;
            await Commit(Update.NoStagesStored(scrubbed), "scrub", 0, Stopwatch.GetElapsedTime(started),
                scrubbing.Where(item => item.Method == UnlearningMethod.FisherScrub), served);
            return true;
        }

        var exact = batch.Where(item => item.Method != UnlearningMethod.FisherScrub).ToList();
        var forget = exact.SelectMany(item => item.Records).ToArray();
        var plan = current.Plan(forget);
        using var cancel = new CancellationTokenSource();
        replaying = (plan.FromSlice, cancel);
        Update replayed;
        ShardUpdateReport? report;
        try
        {
            if (plan.Kind == ShardUpdateKind.Unchanged)
            {
                (replayed, report) = (Update.NoStagesStored(current), null);
            }
            else
            {
                var id = Guid.NewGuid();
                var ((forgotten, forgetReport), storing, ended) = await stages.RunStoring(lease, id, trained => current.Forget(data, forget, trained: trained, cancellationToken: cancel.Token));
                lease.Dispose();
                (replayed, report) = (new Update(forgotten, id, await storing, ended), forgetReport);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return true; // superseded: the next update takes this batch and the deletions that cancelled it
        }
        finally
        {
            replaying = null;
            lease.Dispose();
        }

        await Commit(replayed, plan.Kind.ToString().ToLowerInvariant(), report?.SamplesTrained ?? 0, report?.Duration ?? TimeSpan.Zero, exact,
            [.. exact.Select(item => new ServedDeletion(item.DeletionId, Exact: true))]);
        return true;
    }

    private async Task TrainShard(Dataset data, ShardingOptions options, long seed)
    {
        // Records of deletions accepted before training are never read: the shard trains without them.
        using var lease = await gate.Enter();
        using var running = Running();
        var satisfied = queueWrites.State.Items.ToList();
        var excluded = satisfied.SelectMany(item => item.Records).ToHashSet();
        var slices = modelWrites.State.Slices.Select(slice => slice.Where(r => !excluded.Contains(r)).ToArray()).ToArray();
        var started = Stopwatch.GetTimestamp();
        var id = Guid.NewGuid();
        var (trained, storing, ended) = await stages.RunStoring(lease, id, report => Shard.Train(data, Index, slices, options, seed, backend, trained: report));
        lease.Dispose();
        await Commit(new Update(trained, id, await storing, ended), "train", 0, Stopwatch.GetElapsedTime(started), satisfied,
            satisfied.Select(item => new ServedDeletion(item.DeletionId, Exact: true)).ToList(), training: true);
    }

    // A deletion whose earliest slice is at or before the running replay's first stage would make the next replay redo
    // every stage the running one computes: stop it, and let one replay serve both.
    private void SupersedeReplay(List<ShardDeletion> fresh)
    {
        if (replaying is not { } running || Current() is not { } current) return;
        var exact = fresh.Where(d => d.Method != UnlearningMethod.FisherScrub).SelectMany(d => d.Records).ToArray();
        if (exact.Length > 0 && current.Plan(exact).FromSlice <= running.FromSlice) running.Cancel.Cancel();
    }

    // An update that keeps failing (a corrupt checkpoint, a dataset gone) fails the deletions waiting for it rather than holding them forever.
    private async Task FailQueued(string reason)
    {
        var failed = queueWrites.State.Items.Select(item => item.DeletionId).ToList();
        failures = 0;
        if (!modelWrites.State.Trained || failed.Count == 0) return;
        queueWrites.State.Items.Clear();
        await queueWrites.Write();
        await GrainFactory.GetGrain<ICoordinatorEvents>(ModelId).ShardFailed(Index, failed, reason);
    }

    // Writes the new shard, drops the finished deletions from the queue, then tells the coordinator (retrying until it hears).
    private async Task Commit(Update update, string kind, long samples, TimeSpan duration, IEnumerable<QueuedDeletion> finished, List<ServedDeletion> served, bool training = false)
    {
        var state = modelWrites.State;
        var updated = update.Shard;
        if (!ReferenceEquals(updated, shard)) await Persist(update, training);

        var done = finished.Select(item => item.DeletionId).ToHashSet();
        if (done.Count > 0)
        {
            queueWrites.State.Items.RemoveAll(item => done.Contains(item.DeletionId));
            await queueWrites.Write();
        }

        if (!training && kind != "unchanged") metrics.ShardUpdated(kind, duration, samples);
        var version = new ShardVersion(Index, state.Version, updated.ServesExactModel, state.WeightHash, updated.RecordCount, kind, samples, duration.TotalSeconds,
            Stopwatch.GetElapsedTime(update.WorkEnded).TotalSeconds, state.Engine);
        LogUpdated(logger, version);
        await Notify(version, served);
    }

    private async Task Persist(Update update, bool training)
    {
        var state = modelWrites.State;
        var updated = update.Shard;
        state.StageUpdates = await StoreRemainingStages(update);
        state.Checkpoints = [];
        state.Slices = [.. updated.Slices.Select(s => s.ToArray())];
        state.ApproximateFromSlice = updated.ApproximateFromSlice;
        state.ServedModel = updated.ServesExactModel ? null : updated.ModelBytes();
        state.WeightHash = updated.WeightHash();
        state.Engine = backend.Engine;
        state.Trained = true;
        state.Version++;
        if (!training) state.Replays++;
        await modelWrites.Write();
        shard = updated;
    }

    // The stages the update did not store as it trained: those whose stored checkpoint is not the committed one (a store
    // written before stage states; an update that failed after storing some) get the shard's own; a shard left without
    // records leaves nothing in any stage. Returns the update of each stage's checkpoint.
    private async Task<Guid[]> StoreRemainingStages(Update update)
    {
        var checkpoints = update.Shard.Checkpoints;
        if (checkpoints.Count == 0)
        {
            for (var stage = 0; stage < stages.Count; stage++)
                if (stages[stage].Checkpoint.Length > 0) await stages.Write(stage, Guid.Empty, ReadOnlyMemory<byte>.Empty);
            return [];
        }

        var committed = modelWrites.State.StageUpdates;
        var updates = new Guid[checkpoints.Count];
        for (var stage = 0; stage < checkpoints.Count; stage++)
        {
            if (update.Stored.Contains(stage)) updates[stage] = update.Id;
            else if (stage < committed.Length && stages[stage].Update == committed[stage]) updates[stage] = committed[stage];
            else
            {
                await stages.Write(stage, update.Id, checkpoints[stage]);
                updates[stage] = update.Id;
            }
        }

        return updates;
    }

    // The first stage whose stored checkpoint is not the committed one (see the class remarks); null when there is none.
    private int? UncommittedFrom()
    {
        var committed = modelWrites.State.StageUpdates;
        for (var stage = 0; stage < committed.Length; stage++)
            if (stage >= stages.Count || stages[stage].Update != committed[stage]) return stage;
        return null;
    }

    private async Task Notify(ShardVersion version, IReadOnlyList<ServedDeletion> served)
    {
        var coordinator = GrainFactory.GetGrain<ICoordinatorEvents>(ModelId);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await coordinator.ShardUpdated(version, served);
                return;
            }
            catch (Exception e) when (attempt < 5 && e is not LetheException)
            {
                await Task.Delay(RetryDelay * attempt);
            }
        }
    }

    private Updating Running()
    {
        updating = true;
        return new Updating(this);
    }

    private Shard? Current()
    {
        var state = modelWrites.State;
        if (!state.Trained || state.Spec is null) return null;
        if (shard is not null) return shard;
        if (state.StageUpdates.Length == 0)
            return shard = Shard.Restore(
                Index, state.Slices, state.Checkpoints, state.ApproximateFromSlice, state.ServedModel ?? ReadOnlyMemory<byte>.Empty,
                ModelRecipe.ShardingOptions(state.Spec), state.Spec.Seed, backend);

        // Stages from an uncommitted update's first on may hold its checkpoints: serve what the last stage holds until a replay from there.
        var checkpoints = Enumerable.Range(0, state.StageUpdates.Length).Select(stage => stages[stage].Checkpoint).ToArray();
        var approximateFrom = UncommittedFrom() is { } uncommitted ? Math.Min(uncommitted, state.ApproximateFromSlice ?? uncommitted) : state.ApproximateFromSlice;
        var served = state.ServedModel ?? (approximateFrom is null ? null : checkpoints[^1]);
        return shard = Shard.Restore(
            Index, state.Slices, checkpoints, approximateFrom, served ?? ReadOnlyMemory<byte>.Empty, ModelRecipe.ShardingOptions(state.Spec), state.Spec.Seed, backend);
    }

    // A new shard and its stages stored as it trained (by update Id), with when its computation ended.
    private sealed record Update(Shard Shard, Guid Id, IReadOnlySet<int> Stored, long WorkEnded)
    {
        // An update that trained no stage (a scrub, nothing to forget), computed just now.
        public static Update NoStagesStored(Shard shard) => new(shard, Guid.NewGuid(), new HashSet<int>(), Stopwatch.GetTimestamp());
    }

    private readonly struct Updating(ShardGrain grain) : IDisposable
    {
        public void Dispose() => grain.updating = false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard update served: {Update}")]
    private static partial void LogUpdated(ILogger logger, ShardVersion update);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shard {Shard}: update failed (attempt {Attempt})")]
    private static partial void LogUpdateFailed(ILogger logger, string shard, int attempt, Exception exception);
}
