using Orleans.Concurrency;

namespace Lethe.Grains.Audit;

/// <summary>The audit log's single writer (key: 0): appends each record to the hash chain, in the order records arrive.</summary>
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    /// <summary>Appends <paramref name="record"/> after the last entry and returns the entry written, once it is stored.
    /// Records arriving while a write is in flight are written together by the next one.</summary>
    [AlwaysInterleave]
    Task<AuditEntry> Append(AuditRecord record);
}
