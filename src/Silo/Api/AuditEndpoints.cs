using Lethe.Grains.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lethe.Silo.Api;

/// <summary><c>/v1/audit</c>: the audit log's entries, and a walk of its hash chain naming the first broken entry.</summary>
internal static class AuditEndpoints
{
    private const int MaxPage = 1000;

    public static void Map(RouteGroupBuilder v1)
    {
        var audit = v1.MapGroup("/audit").WithTags("audit");
        audit.MapGet("/", Read);
        audit.MapGet("/verify", Verify);
    }

    private static async Task<Ok<IReadOnlyList<AuditEntryView>>> Read(IAuditStore store, long from = 1, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (from < 1) throw Lethe.Grains.LetheException.Invalid("from", "sequence numbers start at 1");
        if (limit is < 1 or > MaxPage) throw Lethe.Grains.LetheException.Invalid("limit", $"give 1 to {MaxPage}");
        var entries = await store.ReadRangeAsync(from, limit, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AuditEntryView>>([.. entries.Select(AuditEntryView.From)]);
    }

    private static async Task<Ok<AuditVerification>> Verify(IAuditStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AuditChain.VerifyAsync(store, cancellationToken: cancellationToken));
}

/// <summary>An audit entry as the API shows it: hashes in hex, the payload as JSON text.</summary>
internal sealed record AuditEntryView(long Sequence, DateTimeOffset Timestamp, string Kind, string ModelId, string? DeletionId, string Payload, string PreviousHash, string Hash)
{
    public static AuditEntryView From(AuditEntry e) =>
        new(e.Sequence, e.Timestamp, e.Kind, e.ModelId, e.DeletionRequestId, e.PayloadJson, Convert.ToHexStringLower(e.PreviousHash.Bytes), Convert.ToHexStringLower(e.Hash.Bytes));
}
