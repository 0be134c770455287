using Lethe.Grains.Audit;
using Lethe.Grains.Compute;
using Lethe.Grains.Data;
using Lethe.Grains.Deletions;
using Lethe.Grains.Metrics;
using Lethe.Grains.Registry;
using Lethe.Grains.Shards;
using Lethe.Grains.Users;
using Lethe.Learning.Sharding;
using Microsoft.Extensions.Logging;

namespace Lethe.Grains.Coordinators;

/// <summary>
/// One model. Requests are short and never wait on a deletion grain; training the model and telling
/// deletions how they progress run as background work on the grain's scheduler, re-driven by a
/// reminder and on activation after a crash. Every step is idempotent.
/// </summary>
public sealed partial class CoordinatorGrain : Grain, ICoordinatorGrain, ICoordinatorEvents, IRemindable
{
    private const string DriveReminder = "drive";
    private static readonly TimeSpan DrivePeriod = TimeSpan.FromSeconds(5);

    private readonly StateWrites<CoordinatorState> state;
    private readonly DatasetCatalog datasets;
    private readonly DeletionPolicy policy;
    private readonly LetheMetrics metrics;
    private readonly ILogger<CoordinatorGrain> logger;
    private Task? creation;
    private Task? notifying;
    private IGrainTimer? driveTimer;
    private bool reminderRegistered;
    private (string Versions, double Accuracy)? accuracy;
    private int countedPending;

    /// <summary>Creates the grain.</summary>
    public CoordinatorGrain(
        [PersistentState("coordinator", "lethe")] IPersistentState<CoordinatorState> state,
        DatasetCatalog datasets, DeletionPolicy policy, LetheMetrics metrics, IGrainContext context, ILogger<CoordinatorGrain> logger)
    {
        this.state = new StateWrites<CoordinatorState>(state, context);
        this.datasets = datasets;
        this.policy = policy;
        this.metrics = metrics;
        this.logger = logger;
    }

    private CoordinatorState State => state.State;

    private string ModelId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        CountPending();
        if (State.Spec is not null && HasWork) StartDriving();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.PendingChanged(-countedPending);
        countedPending = 0;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ModelStatus> Create(ModelSpec spec)
    {
        ModelSpecRules.Validate(spec, datasets);
        if (State.Spec is { } existing)
        {
            if (WithoutOwners(existing) != WithoutOwners(spec) || (State.OwnersDigest ?? OwnersDigest.Of(existing.Ownership.Owners)) != OwnersDigest.Of(spec.Ownership.Owners))
                throw LetheException.Conflict($"Model '{ModelId}' exists with another spec.");
            return await GetStatus();
        }

        State.Spec = spec;
        State.OwnersDigest = OwnersDigest.Of(spec.Ownership.Owners);
        State.State = ModelState.Training;
        await state.Write();
        await GrainFactory.GetGrain<IModelRegistryGrain>(0).Register(ModelId);
        await Audit("model.created", new { spec.Dataset, spec.Records, spec.Shards, spec.Slices, spec.Placement, spec.Seed, spec.EpochsPerStage, Ownership = spec.Ownership.Kind, spec.Ownership.Users, spec.Ownership.Exponent });
        LogCreated(logger, ModelId, spec.Shards, spec.Slices);
        StartDriving();
        return await GetStatus();
    }

    /// <inheritdoc />
    public async Task<ModelStatus> GetStatus()
    {
        var spec = State.Spec ?? throw LetheException.NotFound($"No model '{ModelId}'.");
        var shards = await Task.WhenAll(Enumerable.Range(0, spec.Shards).Select(i => Shard(i).GetStatus()));
        double? testAccuracy = State.State == ModelState.Ready ? await TestAccuracy(spec, shards) : null;
        return new ModelStatus(ModelId, State.State, WithoutOwners(spec), shards, testAccuracy,
            State.Pending.Values.Count(p => p.Stage is ModelDeletionStage.Pending), State.FailureReason);
    }

    /// <inheritdoc />
    public async Task<PredictionResult> Predict(PredictionRequest request)
    {
        var spec = State.Spec ?? throw LetheException.NotFound($"No model '{ModelId}'.");
        if (State.State != ModelState.Ready) throw LetheException.Conflict($"Model '{ModelId}' is {State.State.ToString().ToLowerInvariant()}, not ready.");
        var answers = await Task.WhenAll(Enumerable.Range(0, spec.Shards).Select(async i => (Index: i, Shard: Shard(i), Probabilities: await Shard(i).Predict(request))));
        var live = answers.Where(a => a.Probabilities.Length > 0).ToArray();
        if (live.Length == 0) throw LetheException.Conflict($"Every shard of model '{ModelId}' has been emptied by deletions.");
        var classes = datasets.Test(spec.Dataset).ClassCount;
        var combined = new float[live[0].Probabilities.Length];
        EnsembleCombination.Combine(ModelRecipe.ShardingOptions(spec).Aggregation, live.Select(a => a.Probabilities).ToArray(), classes, combined);
        var predictions = Enumerable.Range(0, combined.Length / classes).Select(row => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(combined.AsSpan(row * classes, classes))).ToArray();
        var versions = State.Shards.ToDictionary(pair => pair.Key, pair => pair.Value.Version);
        return new PredictionResult(classes, combined, predictions, versions);
    }

    /// <inheritdoc />
    public async Task<UnlearningMethod> Forget(string deletionId, Dictionary<int, int[]> recordsByShard, UnlearningMethod method)
    {
        var spec = State.Spec ?? throw LetheException.NotFound($"No model '{ModelId}'.");
        if (recordsByShard.Keys.Any(shard => (uint)shard >= (uint)spec.Shards)) throw LetheException.Invalid("records", "a shard outside the model");
        var resolved = method == UnlearningMethod.Auto && !State.Pending.ContainsKey(deletionId) ? (await policy.Choose(spec, recordsByShard, Shard)).Method : method;

        // Asked again (a retry, or a call interleaved with the first): answered once the entry is stored.
        if (State.Pending.TryGetValue(deletionId, out var known))
        {
            await state.Write();
            return known.Method;
        }

        State.Pending[deletionId] = new PendingDeletion { Method = resolved, Records = recordsByShard };
        await state.Write();
        CountPending();
        await Enqueue(deletionId, State.Pending[deletionId]);
        StartDriving();
        return resolved;
    }

    /// <inheritdoc />
    public Task<ModelDeletionProgress> Progress(string deletionId) =>
        Task.FromResult(State.Pending.TryGetValue(deletionId, out var pending)
            ? pending.Progress()
            : new ModelDeletionProgress(ModelDeletionStage.Unknown, UnlearningMethod.Sisa, [], null, null));

    /// <inheritdoc />
    public async Task ShardUpdated(ShardVersion version, IReadOnlyList<ServedDeletion> served)
    {
        if (State.Spec is null) return;
        State.Shards[version.Index] = version;
        var now = DateTimeOffset.UtcNow;
        foreach (var deletion in served)
        {
            if (!State.Pending.TryGetValue(deletion.DeletionId, out var pending) || !pending.Records.ContainsKey(version.Index)) continue;
            pending.ServedVersions.TryAdd(version.Index, version.Version);
            if (deletion.Exact) pending.ExactShards.Add(version.Index);
            if (pending.ServedVersions.Count == pending.Records.Count) pending.ServedAt ??= now;
        }

        if (State.State == ModelState.Training && State.Assigned && State.Shards.Count == State.Spec.Shards)
        {
            State.State = ModelState.Ready;
            LogReady(logger, ModelId);
        }

        await state.Write();
        CountPending();
        NotifyNow();
        await Audit("shard." + version.Kind, new { version.Index, version.Version, version.Exact, version.WeightHash, version.Records, version.SamplesTrained, version.Seconds, version.PersistSeconds, version.Engine, Deletions = served.Count });
        StartDriving();
    }

    /// <inheritdoc />
    public async Task ShardFailed(int index, IReadOnlyList<string> deletionIds, string reason)
    {
        foreach (var id in deletionIds)
        {
            if (State.Pending.TryGetValue(id, out var pending)) pending.FailureReason ??= $"shard {index}: {reason}";
        }

        await state.Write();
        NotifyNow();
        StartDriving();
    }

    /// <inheritdoc />
    public Task Resume()
    {
        if (State.Spec is not null && HasWork) StartDriving();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        reminderRegistered = true;
        if (State.Spec is not null && HasWork) StartDriving();
        else if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private bool HasWork => State.State == ModelState.Training || State.Pending.Count > 0;

    private IShardGrain Shard(int index) => GrainFactory.GetGrain<IShardGrain>(ShardGrain.Key(ModelId, index));

    // Keeps the activation busy with its background work while there is any: a timer every few seconds, and a reminder for after a crash.
    private void StartDriving()
    {
        driveTimer ??= this.RegisterGrainTimer(Drive, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = DrivePeriod, Interleave = true, KeepAlive = true });
        if (reminderRegistered) return;
        reminderRegistered = true;
        _ = this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    private async Task Drive()
    {
        if (State.State == ModelState.Training && creation is not { IsCompleted: false }) creation = CreateInBackground();
        if (State.Pending.Count > 0) NotifyNow();
        if (!HasWork && creation is not { IsCompleted: false } && notifying is not { IsCompleted: false })
        {
            driveTimer?.Dispose();
            driveTimer = null;
            if (reminderRegistered && await this.GetReminder(DriveReminder) is { } reminder) await this.UnregisterReminder(reminder);
            reminderRegistered = false;
        }
    }

    // Deletions hear of their progress as soon as it is written, not at the next tick.
    private void NotifyNow()
    {
        if (notifying is not { IsCompleted: false }) notifying = NotifyDeletions();
    }

    private Task Enqueue(string deletionId, PendingDeletion pending) =>
        Task.WhenAll(pending.Records.Select(pair => Shard(pair.Key).Enqueue([new ShardDeletion(deletionId, pair.Value, pending.Method)])));

    private void CountPending()
    {
        var pending = State.Pending.Values.Count(p => p.Stage is ModelDeletionStage.Pending);
        metrics.PendingChanged(pending - countedPending);
        countedPending = pending;
    }

    private async Task<double> TestAccuracy(ModelSpec spec, ShardStatus[] shards)
    {
        var versions = string.Join(',', shards.Select(s => s.Version));
        if (accuracy is { } cached && cached.Versions == versions) return cached.Accuracy;
        var test = datasets.Test(spec.Dataset);
        var result = await Predict(new PredictionRequest([.. Enumerable.Range(0, test.Count)], null));
        var correct = result.Predictions.Where((prediction, row) => prediction == test.Labels[row]).Count();
        accuracy = (versions, (double)correct / test.Count);
        return accuracy.Value.Accuracy;
    }

    private async Task Audit(string kind, object payload, string? deletionId = null) =>
        await GrainFactory.GetGrain<IAuditLogGrain>(0).Append(new AuditRecord(kind, ModelId, deletionId, AuditRecord.Json(payload)));

    private static ModelSpec WithoutOwners(ModelSpec spec) => spec with { Ownership = spec.Ownership with { Owners = null } };

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: created, {Shards} shards of {Slices} slices")]
    private static partial void LogCreated(ILogger logger, string model, int shards, int slices);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: every shard trained; ready")]
    private static partial void LogReady(ILogger logger, string model);
}
