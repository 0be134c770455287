namespace Lethe.Grains.Audit;

/// <summary>One entry of the audit log: a lifecycle transition with its payload (shard versions, weight
/// hashes, audit figures as JSON), chained to the entry before it by <see cref="PreviousHash"/>.
/// Build entries with <see cref="AuditChain.Next"/> so the hash and the link are right.</summary>
/// <param name="Sequence">1, 2, 3, ... without gaps.</param>
/// <param name="Timestamp">When the transition happened (UTC, whole microseconds).</param>
/// <param name="Kind">What happened, e.g. a lifecycle state's name.</param>
/// <param name="ModelId">The model the entry concerns.</param>
/// <param name="DeletionRequestId">The deletion request, when the entry belongs to one.</param>
/// <param name="PayloadJson">The entry's details as JSON text, hashed byte for byte.</param>
/// <param name="PreviousHash">The hash of the entry before (zero for the first).</param>
/// <param name="Hash">SHA-256 over the previous hash and this entry's canonical bytes.</param>
[GenerateSerializer, Immutable, Alias("lethe.audit-entry")]
public sealed record AuditEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] string Kind,
    [property: Id(3)] string ModelId,
    [property: Id(4)] string? DeletionRequestId,
    [property: Id(5)] string PayloadJson,
    [property: Id(6)] AuditHash PreviousHash,
    [property: Id(7)] AuditHash Hash);
