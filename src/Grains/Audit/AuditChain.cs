using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Lethe.Grains.Audit;

/// <summary>The audit log's hash chain: each entry's hash is SHA-256 over the previous entry's hash and
/// the entry's canonical bytes, so altering, removing or reordering any stored entry breaks the chain at
/// that entry.</summary>
/// <remarks>Canonical bytes, in order: sequence (int64, big-endian), timestamp (microseconds since the
/// Unix epoch, int64, big-endian), then kind, model id, deletion request id and payload JSON, each as a
/// UTF-8 string prefixed by its byte length (int32, big-endian; -1 for a missing request id).</remarks>
public static class AuditChain
{
    /// <summary>The entry that follows <paramref name="last"/> (or the first entry, when null).</summary>
    public static AuditEntry Next(AuditEntry? last, DateTimeOffset timestamp, string kind, string modelId, string? deletionRequestId, string payloadJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(payloadJson);
        var entry = new AuditEntry(
            (last?.Sequence ?? 0) + 1,
            ToWholeMicroseconds(timestamp),
            kind,
            modelId,
            deletionRequestId,
            payloadJson,
            last?.Hash ?? AuditHash.Zero,
            AuditHash.Zero);
        return entry with { Hash = ComputeHash(entry) };
    }

    /// <summary>The hash <paramref name="entry"/> should carry, given its previous hash and contents.</summary>
    public static AuditHash ComputeHash(AuditEntry entry)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(entry.PreviousHash.Bytes);
        Span<byte> number = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(number, entry.Sequence);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, UnixMicroseconds(entry.Timestamp));
        sha.AppendData(number);
        AppendString(sha, entry.Kind);
        AppendString(sha, entry.ModelId);
        AppendString(sha, entry.DeletionRequestId);
        AppendString(sha, entry.PayloadJson);
        return AuditHash.FromBytes(sha.GetHashAndReset());
    }

    /// <summary>Walks <paramref name="entries"/> (in sequence order) and names the first one that is
    /// missing, out of place, not linked to the one before, or whose contents do not match its hash.</summary>
    /// <param name="entries">Consecutive entries of the log.</param>
    /// <param name="preceding">The intact entry just before the first of <paramref name="entries"/>, or
    /// null when they start the log.</param>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, AuditEntry? preceding = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var expectedSequence = (preceding?.Sequence ?? 0) + 1;
        var expectedPrevious = preceding?.Hash ?? AuditHash.Zero;
        long checkedCount = 0;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expectedSequence)
                return AuditVerification.Broken(checkedCount, expectedSequence, $"entry {expectedSequence} is missing: the next stored entry is {entry.Sequence}");
            if (entry.PreviousHash != expectedPrevious)
                return AuditVerification.Broken(checkedCount, entry.Sequence, $"entry {entry.Sequence} does not link to entry {entry.Sequence - 1} (previous hash differs)");
            if (ComputeHash(entry) != entry.Hash)
                return AuditVerification.Broken(checkedCount, entry.Sequence, $"entry {entry.Sequence} was altered (its contents do not match its hash)");
            expectedPrevious = entry.Hash;
            expectedSequence++;
            checkedCount++;
        }
        return AuditVerification.Intact(checkedCount);
    }

    /// <summary>Verifies the whole log in <paramref name="store"/>, reading it page by page. A page holds
    /// the stored entries from a sequence number on, so a gap shows as an entry out of place.</summary>
    public static async Task<AuditVerification> VerifyAsync(IAuditStore store, int pageSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        AuditEntry? preceding = null;
        long total = 0;
        while (true)
        {
            var page = await store.ReadRangeAsync((preceding?.Sequence ?? 0) + 1, pageSize, cancellationToken);
            var result = Verify(page, preceding);
            total += result.EntriesChecked;
            if (!result.IsIntact) return result with { EntriesChecked = total };
            if (page.Count < pageSize) return AuditVerification.Intact(total);
            preceding = page[^1];
        }
    }

    /// <summary>Microseconds since the Unix epoch, the timestamp's precision in the chain and the stores.</summary>
    public static long UnixMicroseconds(DateTimeOffset timestamp) =>
        (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    private static DateTimeOffset ToWholeMicroseconds(DateTimeOffset timestamp) => FromUnixMicroseconds(UnixMicroseconds(timestamp));

    private static void AppendString(IncrementalHash sha, string? value)
    {
        Span<byte> length = stackalloc byte[sizeof(int)];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            sha.AppendData(length);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
