using Lethe.Grains.Audit;
using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Grains.Metrics;
using Lethe.Grains.Users;
using Microsoft.Extensions.Logging;

namespace Lethe.Grains.Deletions;

/// <summary>
/// One user's deletion. <see cref="Submit"/> returns once the request is durable (Accepted); a timer
/// drives the rest (every step idempotent: each asks or tells again until the answer is in the state),
/// coordinators report progress as it happens, and a reminder re-drives it after a crash.
/// </summary>
public sealed partial class DeletionGrain : Grain, IDeletionGrain, IDeletionEvents, IRemindable
{
    private const string DriveReminder = "drive";
    private static readonly TimeSpan DrivePeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    private readonly StateWrites<DeletionRecord> state;
    private readonly LetheMetrics metrics;
    private readonly IStoreScrubber scrubber;
    private readonly ILogger<DeletionGrain> logger;
    private IGrainTimer? timer;
    private DateTimeOffset lastPoll = DateTimeOffset.MinValue;
    private bool acceptanceAudited;

    /// <summary>Creates the grain.</summary>
    public DeletionGrain([PersistentState("deletion", "lethe")] IPersistentState<DeletionRecord> state, LetheMetrics metrics, IStoreScrubber scrubber, IGrainContext context, ILogger<DeletionGrain> logger)
    {
        this.state = new StateWrites<DeletionRecord>(state, context);
        this.metrics = metrics;
        this.scrubber = scrubber;
        this.logger = logger;
    }

    private DeletionRecord Record => state.State;

    private string Id => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && !Finished) StartTimer();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<DeletionStatus> Submit(UserId user, UnlearningMethod method)
    {
        if (DeletionId.ForUser(user).Value != Id) throw LetheException.Invalid("user_id", "this deletion belongs to another user");
        if (state.RecordExists && Record.State != DeletionState.Failed) return Record.ToStatus(Id);

        var records = await GrainFactory.GetGrain<IUserGrain>(user.Value).GetRecords();
        var count = records.Values.Sum(model => model.Values.Sum(r => r.Length));
        if (count == 0) throw LetheException.NotFound("The user owns no records in any model.");

        // The reminder first: if the silo dies after the write below, it finds the request and drives it; if before, it finds none and stops.
        await this.RegisterOrUpdateReminder(DriveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        state.State.State = DeletionState.Accepted;
        state.State.Method = method;
        state.State.UserId = user.Value;
        state.State.Models = [.. records.Keys.Order(StringComparer.Ordinal)];
        state.State.Records = count;
        state.State.Transitions = new() { [DeletionState.Accepted] = DateTimeOffset.UtcNow };
        state.State.Progress = [];
        state.State.AcceptedBy = [];
        state.State.FailureReason = null;
        await state.Write();
        await AuditAccepted();
        metrics.Deletion("accepted");
        LogAccepted(logger, Id, method, count);
        StartTimer();
        return Record.ToStatus(Id);
    }

    /// <inheritdoc />
    public Task<DeletionStatus?> GetStatus() => Task.FromResult(state.RecordExists ? Record.ToStatus(Id) : null);

    /// <inheritdoc />
    public async Task ModelProgressed(string modelId, ModelDeletionProgress progress)
    {
        if (!state.RecordExists || Finished || !Record.Models.Contains(modelId)) return;
        if (!Record.Progress.TryGetValue(modelId, out var known) || known.Stage < progress.Stage || progress.Stage == ModelDeletionStage.Failed)
        {
            Record.Progress[modelId] = progress;
            Record.AcceptedBy.Add(modelId);
            await Advance();
        }
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.RecordExists || Finished)
        {
            if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }

        StartTimer();
    }

    private bool Finished => Record.State is DeletionState.Completed or DeletionState.Failed;

    private void StartTimer() =>
        timer ??= this.RegisterGrainTimer(Drive, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = DrivePeriod, KeepAlive = true });

    private async Task Drive()
    {
        try
        {
            await Advance();
        }
        catch (Exception e) when (e is not LetheException)
        {
            LogStalled(logger, Id, Record.State.ToString(), e.Message);
        }
    }

    // Moves the lifecycle as far as it can go now; each transition is written before the next begins.
    private async Task Advance()
    {
        while (!Finished)
        {
            var before = Record.State;
            switch (before)
            {
                case DeletionState.Accepted:
                    if (!acceptanceAudited) await AuditAccepted();
                    await SubmitToModels();
                    await Transition(DeletionState.Forgetting, new { Models = Record.AcceptedBy.Order(StringComparer.Ordinal) });
                    break;
                case DeletionState.Forgetting when Failure() is { } reason:
                    await Fail(reason);
                    break;
                case DeletionState.Forgetting when Record.Models.All(m => Stage(m) >= ModelDeletionStage.Served):
                    var servedAt = Record.Progress.Values.Max(p => p.ServedAt) ?? DateTimeOffset.UtcNow;
                    var latency = servedAt - Record.Transitions[DeletionState.Accepted];
                    await Transition(DeletionState.ModelsUpdated, new { Versions = Record.Progress.ToDictionary(p => p.Key, p => p.Value.ShardVersions), LatencySeconds = latency.TotalSeconds }, servedAt);
                    metrics.Unlearned(Record.Method, latency);
                    break;
                case DeletionState.ModelsUpdated:
                    await GrainFactory.GetGrain<IUserGrain>(Record.UserId!).Purge();
                    await Transition(DeletionState.Purged, new { }, change: record => record.UserId = null);
                    scrubber.Purged();
                    break;
                case DeletionState.Purged when Failure() is { } reason:
                    await Fail(reason);
                    break;
                case DeletionState.Purged when Record.Models.All(m => Stage(m) == ModelDeletionStage.Done):
                    await Transition(DeletionState.Completed, new { Exact = Record.ToStatus(Id).Exact });
                    metrics.Deletion("completed");
                    LogCompleted(logger, Id, (Record.Transitions[DeletionState.Completed] - Record.Transitions[DeletionState.Accepted]).TotalSeconds);
                    await StopDriving();
                    break;
                default:
                    await PollModels();
                    return;
            }
        }
    }

    // Every model of the user's records accepts the deletion (again, harmlessly, after a crash): the records come from the user grain, which keeps them until the purge.
    private async Task SubmitToModels()
    {
        var records = await GrainFactory.GetGrain<IUserGrain>(Record.UserId!).GetRecords();
        foreach (var model in Record.Models.Where(m => !Record.AcceptedBy.Contains(m)))
        {
            if (records.TryGetValue(model, out var byShard)) await GrainFactory.GetGrain<ICoordinatorEvents>(model).Forget(Id, byShard, Record.Method);
            Record.AcceptedBy.Add(model);
        }
    }

    // Asks the models that have not reported for a while; one that lost the deletion (never got it) is given it again.
    private async Task PollModels()
    {
        if (DateTimeOffset.UtcNow - lastPoll < PollEvery) return;
        lastPoll = DateTimeOffset.UtcNow;
        var changed = false;
        foreach (var model in Record.Models.Where(m => Stage(m) is not (ModelDeletionStage.Done or ModelDeletionStage.Failed)))
        {
            var progress = await GrainFactory.GetGrain<ICoordinatorEvents>(model).Progress(Id);
            if (progress.Stage == ModelDeletionStage.Unknown && Record.UserId is { } user && Stage(model) < ModelDeletionStage.Served)
            {
                var records = await GrainFactory.GetGrain<IUserGrain>(user).GetRecords();
                if (records.TryGetValue(model, out var byShard)) await GrainFactory.GetGrain<ICoordinatorEvents>(model).Forget(Id, byShard, Record.Method);
            }
            else if (progress.Stage > Stage(model))
            {
                Record.Progress[model] = progress;
                changed = true;
            }
        }

        if (changed) await Advance();
    }

    private ModelDeletionStage Stage(string model) => Record.Progress.TryGetValue(model, out var p) ? p.Stage : ModelDeletionStage.Pending;

    private string? Failure() => Record.Progress.Values.FirstOrDefault(p => p.Stage == ModelDeletionStage.Failed)?.FailureReason;

    // The audit entry goes first: a crash before the state is written repeats the step and its append, which the log ignores
    // (one entry per deletion, kind and models); the other order would lose the entry. The record changes only after the
    // append, so a step whose append failed runs again from the record as it was.
    private async Task Transition(DeletionState next, object details, DateTimeOffset? at = null, Action<DeletionRecord>? change = null)
    {
        await Audit("deletion." + AuditRecord.Name(next), details);
        change?.Invoke(Record);
        Record.State = next;
        Record.Transitions[next] = at ?? DateTimeOffset.UtcNow;
        await state.Write();
    }

    private async Task Fail(string reason)
    {
        Record.FailureReason = reason;
        await Transition(DeletionState.Failed, new { Reason = reason });
        metrics.Deletion("failed");
        LogFailed(logger, Id, reason);
        await StopDriving();
    }

    private async Task StopDriving()
    {
        timer?.Dispose();
        timer = null;
        if (await this.GetReminder(DriveReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    // Written before Submit answers, so the audit log lists every accepted deletion; after a crash in between, the drive writes it.
    private async Task AuditAccepted()
    {
        await Audit("deletion.accepted", new { Method = Record.Method.ToName(), Record.Models, Record.Records });
        acceptanceAudited = true;
    }

    private async Task Audit(string kind, object details) =>
        await GrainFactory.GetGrain<IAuditLogGrain>(0).Append(new AuditRecord(kind, string.Join(',', Record.Models), Id, AuditRecord.Json(details)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion {Deletion}: accepted ({Method}, {Records} records)")]
    private static partial void LogAccepted(ILogger logger, string deletion, UnlearningMethod method, int records);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion {Deletion}: completed {Seconds:F2} s after it was accepted")]
    private static partial void LogCompleted(ILogger logger, string deletion, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deletion {Deletion}: failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string deletion, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deletion {Deletion}: stalled in {State} ({Reason}); will retry")]
    private static partial void LogStalled(ILogger logger, string deletion, string state, string reason);
}
