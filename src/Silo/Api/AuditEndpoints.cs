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
        audit.MapGet("/", Read)
            .WithSummary("Read audit entries")
            .WithDescription("Up to `limit` entries from sequence number `from` on, in order: every lifecycle transition with its shard versions, weight hashes and figures, chained by SHA-256.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        audit.MapGet("/verify", Verify).WithSummary("Verify the audit log's hash chain, naming the first broken entry");
    }

    private static async Task<Ok<IReadOnlyList<AuditEntryView>>> Read(IAuditStore store, string? from = null, string? limit = null, CancellationToken cancellationToken = default)
    {
        var first = QueryValues.Integer(from, "from", 1, long.MaxValue, 1);
        var count = QueryValues.Integer(limit, "limit", 1, MaxPage, 100);
        var entries = await store.ReadRangeAsync(first, count, cancellationToken);
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
