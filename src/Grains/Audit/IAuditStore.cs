namespace Lethe.Grains.Audit;

/// <summary>The append-only store of the audit log. Implementations live with the host's storage.</summary>
public interface IAuditStore
{
    /// <summary>Appends consecutive entries in one transaction; throws <see cref="DuplicateAuditSequenceException"/>
    /// when a sequence number is already taken (the log is left as it was).</summary>
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> entries from <paramref name="fromSequence"/> on, in order.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default);

    /// <summary>The first entry of <paramref name="kind"/> about <paramref name="modelId"/> for deletion request <paramref name="deletionRequestId"/>, or null when there is none.</summary>
    Task<AuditEntry?> FindAsync(string deletionRequestId, string kind, string modelId, CancellationToken cancellationToken = default);

    /// <summary>The entry with the highest sequence number, or null when the log is empty.</summary>
    Task<AuditEntry?> ReadLastAsync(CancellationToken cancellationToken = default);

    /// <summary>The latest <c>deletion.*</c> entry of each deletion request, the most recent first: a
    /// deletion's current lifecycle state as the log knows it.</summary>
    /// <param name="modelId">Only deletions whose models include this one (null: any).</param>
    /// <param name="kind">Only deletions whose latest entry is of this kind, e.g. <c>deletion.completed</c> (null: any).</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<AuditEntry>> ReadLatestDeletionEntriesAsync(string? modelId, string? kind, int limit, CancellationToken cancellationToken = default);
}
