using Lethe.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lethe.Silo.Api;

/// <summary><c>/v1/deletions</c>: forget a user; read a deletion's lifecycle.</summary>
internal static class DeletionEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var deletions = v1.MapGroup("/deletions").WithTags("deletions");
        deletions.MapPost("/", Submit).AddEndpointFilter<RequireApiKey>();
        deletions.MapGet("/{id}", Get).WithName("deletion");
    }

    private static async Task<AcceptedAtRoute<DeletionStatus>> Submit(DeletionRequest request, IGrainFactory grains)
    {
        var user = UserId.Parse(request.UserId);
        var method = UnlearningMethodNames.Parse(request.Method ?? "sisa");
        var id = DeletionId.ForUser(user);
        var status = await grains.GetGrain<IDeletionGrain>(id.Value).Submit(user, method);
        return TypedResults.AcceptedAtRoute(status, "deletion", new { id = id.Value });
    }

    private static async Task<Results<Ok<DeletionStatus>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> Get(string id, IGrainFactory grains)
    {
        if (!DeletionId.TryParse(id, out var deletion)) throw LetheException.NotFound($"No deletion '{id}'.");
        return await grains.GetGrain<IDeletionGrain>(deletion.Value).GetStatus() is { } status
            ? TypedResults.Ok(status)
            : throw LetheException.NotFound($"No deletion '{id}'.");
    }
}
