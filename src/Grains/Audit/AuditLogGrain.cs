namespace Lethe.Grains.Audit;

/// <summary>
/// Appends to the audit log. One activation in the cluster is the one writer, so entries are numbered
/// without gaps; the store refuses a duplicate number, and the grain then rereads the last entry and
/// appends after it. Records that arrive while a write is in flight wait for the next write, which
/// stores them all in one transaction (a burst of deletions shares commits). A deletion's step is
/// written once: a deletion re-driving itself after a crash asks again, and gets the entry already written.
/// </summary>
public sealed class AuditLogGrain(IAuditStore store) : Grain, IAuditLogGrain
{
    private const int AttemptsOnTakenSequence = 3;
    private readonly List<(AuditRecord Record, TaskCompletionSource<AuditEntry> Written)> waiting = [];
    private Task writer = Task.CompletedTask;
    private AuditEntry? last;
    private bool loaded;

    /// <inheritdoc />
    public Task<AuditEntry> Append(AuditRecord record)
    {
        var written = new TaskCompletionSource<AuditEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.Add((record, written));
        if (writer.IsCompleted) writer = WriteWaiting();
        return written.Task;
    }

    // Runs on the grain's scheduler, so the waiting list needs no lock: each round takes what has arrived since the last.
    private async Task WriteWaiting()
    {
        while (waiting.Count > 0)
        {
            var batch = waiting.ToList();
            waiting.Clear();
            try
            {
                var entries = await Write(batch.Select(item => item.Record).ToList());
                for (var i = 0; i < batch.Count; i++) batch[i].Written.SetResult(entries[i]);
            }
            catch (Exception e)
            {
                loaded = false;
                foreach (var item in batch) item.Written.SetException(e);
            }
        }
    }

    // The entry of each record: the one already stored for its deletion step, else a new one chained after the last.
    private async Task<AuditEntry[]> Write(List<AuditRecord> records)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!loaded)
            {
                last = await store.ReadLastAsync();
                loaded = true;
            }

            var entries = new AuditEntry[records.Count];
            var fresh = new List<AuditEntry>();
            var tail = last;
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                entries[i] = SameStep(records, i) is { } earlier ? entries[earlier]
                    : record.DeletionId is { } deletion && await store.FindAsync(deletion, record.Kind, record.ModelId) is { } stored ? stored
                    : Chained(ref tail, record, fresh);
            }

            try
            {
                await store.AppendAsync(fresh);
                last = tail;
                return entries;
            }
            catch (DuplicateAuditSequenceException) when (attempt < AttemptsOnTakenSequence)
            {
                loaded = false;
            }
        }
    }

    private static AuditEntry Chained(ref AuditEntry? tail, AuditRecord record, List<AuditEntry> fresh)
    {
        tail = AuditChain.Next(tail, DateTimeOffset.UtcNow, record.Kind, record.ModelId, record.DeletionId, record.PayloadJson);
        fresh.Add(tail);
        return tail;
    }

    // An earlier record of the same batch for the same deletion step (a retry that arrived beside the first ask).
    private static int? SameStep(List<AuditRecord> records, int index)
    {
        var record = records[index];
        if (record.DeletionId is null) return null;
        for (var i = 0; i < index; i++)
        {
            var other = records[i];
            if (other.DeletionId == record.DeletionId && other.Kind == record.Kind && other.ModelId == record.ModelId) return i;
        }

        return null;
    }
}
