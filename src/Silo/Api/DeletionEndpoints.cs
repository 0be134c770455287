using Lethe.Grains;
using Lethe.Grains.Audit;
using Lethe.Silo.Api.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Lethe.Silo.Api;

/// <summary><c>/v1/deletions</c>: forget a user; read a deletion's lifecycle; list deletions by model and state.</summary>
internal static class DeletionEndpoints
{
    private const int MaxPage = 1000;

    public static void Map(RouteGroupBuilder v1)
    {
        var deletions = v1.MapGroup("/deletions").WithTags("deletions");
        deletions.MapPost("/", Submit).RequireWriteKey()
            .WithSummary("Forget a user")
            .WithDescription("Accepts the deletion of every record the user owns, in every model, and answers once it is durable (202, state accepted). The same user again returns the same request.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        deletions.MapGet("/", List)
            .WithSummary("List deletions")
            .WithDescription("Deletions from the audit log, the most recently changed first, each as it is now; filtered by model and by state.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        deletions.MapGet("/{id}", Get).WithName("deletion")
            .WithSummary("Read a deletion")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<AcceptedAtRoute<DeletionStatus>, ProblemHttpResult>> Submit(DeletionRequest? request, [FromHeader(Name = IdempotentRequest.Header)] string? idempotencyKey, HttpContext http, IGrainFactory grains)
    {
        var body = request ?? throw LetheException.Invalid("body", "a JSON object with user_id is required");
        var user = UserId.Parse(body.UserId);
        var method = UnlearningMethodNames.Parse(body.Method ?? "sisa");
        var id = DeletionId.ForUser(user);
        return await IdempotentRequest.RunAsync(http, idempotencyKey, grains, "POST /v1/deletions", new { user_id = user.Value, method = method.ToName() },
            perform: async () => (id.Value, Accepted(await grains.GetGrain<IDeletionGrain>(id.Value).Submit(user, method))),
            replay: async resource => Accepted(await Status(grains, resource)));
    }

    private static async Task<Ok<IReadOnlyList<DeletionStatus>>> List(IGrainFactory grains, IAuditStore audit, string? model = null, string? status = null, string? limit = null, CancellationToken cancellationToken = default)
    {
        ModelId? modelId = model is null ? null : ModelId.Parse(model, "model");
        DeletionState? state = status is null ? null : ApiNames.Parse<DeletionState>(status, "status");
        var count = QueryValues.Integer(limit, "limit", 1, MaxPage, defaultValue: 100);
        var latest = await audit.ReadLatestDeletionEntriesAsync(modelId?.Value, state is { } s ? "deletion." + ApiNames.Name(s) : null, count, cancellationToken);
        var statuses = await Task.WhenAll(latest.Select(entry => grains.GetGrain<IDeletionGrain>(entry.DeletionRequestId!).GetStatus()));
        return TypedResults.Ok<IReadOnlyList<DeletionStatus>>([.. statuses.OfType<DeletionStatus>()]);
    }

    private static async Task<Ok<DeletionStatus>> Get(string id, IGrainFactory grains)
    {
        if (!DeletionId.TryParse(id, out var deletion)) throw LetheException.Invalid("id", $"'{id}' is not a deletion id (d- and 24 lowercase hex digits)");
        return TypedResults.Ok(await Status(grains, deletion.Value));
    }

    private static async Task<DeletionStatus> Status(IGrainFactory grains, string id) =>
        await grains.GetGrain<IDeletionGrain>(id).GetStatus() ?? throw LetheException.NotFound($"No deletion '{id}'.");

    private static AcceptedAtRoute<DeletionStatus> Accepted(DeletionStatus status) => TypedResults.AcceptedAtRoute(status, "deletion", new { id = status.Id });
}
