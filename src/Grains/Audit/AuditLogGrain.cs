namespace Lethe.Grains.Audit;

/// <summary>
/// Appends to the audit log. One activation in the cluster is the one writer, so entries are numbered
/// without gaps; the store refuses a duplicate number, and the grain then rereads the last entry and
/// appends after it. A deletion's step is written once: a deletion re-driving itself after a crash asks
/// again, and gets the entry already written.
/// </summary>
public sealed class AuditLogGrain(IAuditStore store) : Grain, IAuditLogGrain
{
    private AuditEntry? last;
    private bool loaded;

    /// <inheritdoc />
    public async Task<AuditEntry> Append(AuditRecord record)
    {
        if (record.DeletionId is { } deletion && await store.FindAsync(deletion, record.Kind, record.ModelId) is { } written) return written;
        for (var attempt = 1; ; attempt++)
        {
            if (!loaded)
            {
                last = await store.ReadLastAsync();
                loaded = true;
            }

            var entry = AuditChain.Next(last, DateTimeOffset.UtcNow, record.Kind, record.ModelId, record.DeletionId, record.PayloadJson);
            try
            {
                await store.AppendAsync(entry);
                last = entry;
                return entry;
            }
            catch (DuplicateAuditSequenceException) when (attempt < 3)
            {
                loaded = false;
            }
        }
    }
}
