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
/// arrive during an update share the next one. A crash between the state write and the queue write
/// leaves queued deletions whose records the shard no longer holds: applying them again changes nothing.
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
    private int failures;
    private bool updating;
    private (int FromSlice, CancellationTokenSource Cancel)? replaying;

    private string ModelId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().LastIndexOf('/')];

    private int Index => int.Parse(this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key of shard <paramref name="index"/> of <paramref name="modelId"/>.</summary>
    public static string Key(string modelId, int index) => $"{modelId}/{index}";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken) => Resume();

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
        var exact = state.Trained && state.ApproximateFromSlice is null;
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
            await Commit(scrubbed, "scrub", 0, Stopwatch.GetElapsedTime(started), scrubbing.Where(item => item.Method == UnlearningMethod.FisherScrub), served);
            return true;
        }

        var exact = batch.Where(item => item.Method != UnlearningMethod.FisherScrub).ToList();
        var forget = exact.SelectMany(item => item.Records).ToArray();
        var plan = current.Plan(forget);
        using var cancel = new CancellationTokenSource();
        replaying = (plan.FromSlice, cancel);
        Shard replayed;
        ShardUpdateReport? report;
        try
        {
            (replayed, report) = plan.Kind == ShardUpdateKind.Unchanged ? (current, null) : await lease.Run(() => current.Forget(data, forget, cancellationToken: cancel.Token));
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
        var trained = await lease.Run(() => Shard.Train(data, Index, slices, options, seed, backend));
        lease.Dispose();
        await Commit(trained, "train", 0, Stopwatch.GetElapsedTime(started), satisfied,
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
    private async Task Commit(Shard updated, string kind, long samples, TimeSpan duration, IEnumerable<QueuedDeletion> finished, List<ServedDeletion> served, bool training = false)
    {
        var state = modelWrites.State;
        var persisting = Stopwatch.GetTimestamp();
        if (!ReferenceEquals(updated, shard)) await Persist(updated, training);

        var done = finished.Select(item => item.DeletionId).ToHashSet();
        if (done.Count > 0)
        {
            queueWrites.State.Items.RemoveAll(item => done.Contains(item.DeletionId));
            await queueWrites.Write();
        }

        if (!training && kind != "unchanged") metrics.ShardUpdated(kind, duration, samples);
        var version = new ShardVersion(Index, state.Version, updated.ServesExactModel, state.WeightHash, updated.RecordCount, kind, samples, duration.TotalSeconds,
            Stopwatch.GetElapsedTime(persisting).TotalSeconds, state.Engine);
        LogUpdated(logger, version);
        await Notify(version, served);
    }

    private async Task Persist(Shard updated, bool training)
    {
        var state = modelWrites.State;
        state.Slices = [.. updated.Slices.Select(s => s.ToArray())];
        state.Checkpoints = [.. updated.Checkpoints.Select(c => c.ToArray())];
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
        return shard ??= Shard.Restore(
            Index, state.Slices, state.Checkpoints, state.ApproximateFromSlice, state.ServedModel ?? ReadOnlyMemory<byte>.Empty,
            ModelRecipe.ShardingOptions(state.Spec), state.Spec.Seed, backend);
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
