using Lethe.Grains.Deletions;
using Lethe.Grains.Shards;
using Microsoft.Extensions.Logging;

namespace Lethe.Grains.Coordinators;

/// <summary>Keeping deletions moving: queued deletions re-sent to shards that may have lost them, and each deletion told how it progresses until it acknowledges the end.</summary>
public sealed partial class CoordinatorGrain
{
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(10);
    private DateTimeOffset lastResend = DateTimeOffset.UtcNow;

    // Rounds until every deletion has heard its latest stage, or a round reaches none of them (the next tick retries).
    private async Task NotifyDeletions()
    {
        while (true)
        {
            var waiting = State.Pending.Where(p => p.Value.Acknowledged != p.Value.Stage).ToList();
            if (waiting.Count == 0 || !await NotifyRound(waiting)) break;
        }

        await ResendIfStalled();
    }

    // Tells every waiting deletion at once (each writes its own step; the audit log batches their entries), then records who heard what.
    private async Task<bool> NotifyRound(List<KeyValuePair<string, PendingDeletion>> waiting)
    {
        var told = await Task.WhenAll(waiting.Select(async pair =>
        {
            var stage = pair.Value.Stage;
            try
            {
                await GrainFactory.GetGrain<IDeletionEvents>(pair.Key).ModelProgressed(ModelId, pair.Value.Progress());
                return (Id: pair.Key, Pending: pair.Value, Heard: (ModelDeletionStage?)stage);
            }
            catch (Exception e) when (e is not LetheException)
            {
                LogNotifyFailed(logger, ModelId, pair.Key, e.Message);
                return (Id: pair.Key, Pending: pair.Value, Heard: null);
            }
        }));

        var heard = told.Where(t => t.Heard is not null).ToList();
        foreach (var (_, pending, stage) in heard) pending.Acknowledged = stage!.Value;
        // Audited before they leave: an append that fails keeps them for the next round, which appends again (once).
        var finished = heard.Where(t => t.Pending.Finished).ToList();
        await Task.WhenAll(finished.Select(t => Audit(t.Heard == ModelDeletionStage.Failed ? "model.deletion-failed" : "model.deletion-done",
            new { Method = t.Pending.Method, t.Pending.ServedVersions, Shards = t.Pending.Records.Count, Records = t.Pending.Records.Values.Sum(r => r.Length) }, t.Id)));
        foreach (var (id, _, _) in finished) State.Pending.Remove(id);
        if (heard.Count > 0)
        {
            await state.Write();
            CountPending();
        }

        return heard.Count > 0;
    }

    // A shard that lost a queued deletion (it crashed before writing it, or its coordinator did before sending it) gets it again; shards skip what they already hold.
    private async Task ResendIfStalled()
    {
        if (DateTimeOffset.UtcNow - lastResend < ResendAfter) return;
        lastResend = DateTimeOffset.UtcNow;
        var byShard = State.Pending
            .Where(p => p.Value.Stage is ModelDeletionStage.Pending or ModelDeletionStage.Served)
            .SelectMany(p => p.Value.Records
                .Where(r => !p.Value.ServedVersions.ContainsKey(r.Key) || (p.Value.Method.EndsExact() && !p.Value.ExactShards.Contains(r.Key)))
                .Select(r => (Shard: r.Key, Deletion: new ShardDeletion(p.Key, r.Value, p.Value.Method))))
            .GroupBy(x => x.Shard);
        foreach (var group in byShard)
        {
            try
            {
                await Shard(group.Key).Enqueue([.. group.Select(x => x.Deletion)]);
            }
            catch (Exception e) when (e is not LetheException)
            {
                LogNotifyFailed(logger, ModelId, $"shard {group.Key}", e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: could not reach {Target} ({Reason}); will retry")]
    private static partial void LogNotifyFailed(ILogger logger, string model, string target, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: training failed")]
    private static partial void LogFailed(ILogger logger, string model, Exception exception);
}
