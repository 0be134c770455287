namespace Lethe.Grains.Audit;

/// <summary>The append-only store of the audit log. Implementations live with the host's storage.</summary>
public interface IAuditStore
{
    /// <summary>Appends an entry; throws <see cref="DuplicateAuditSequenceException"/> when its sequence
    /// number is already taken (the log is left as it was).</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> entries from <paramref name="fromSequence"/> on, in order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default);

    /// <summary>The entry with the highest sequence number, or null when the log is empty.</summary>
    Task<AuditEntry?> ReadLastAsync(CancellationToken cancellationToken = default);
}
