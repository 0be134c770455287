using Lethe.Grains;
using Lethe.Silo.Api.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Lethe.Silo.Api;

/// <summary><c>/v1/models</c>: create and train a model, read its status, predict with it.</summary>
internal static class ModelEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var models = v1.MapGroup("/models").WithTags("models");
        models.MapPost("/", Create).RequireWriteKey()
            .WithSummary("Create and train a model")
            .WithDescription("Creates the model and starts training its shards; answers at once (202, state training). Creating it again with the same spec returns its status; another spec under the same id is a conflict (409).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        models.MapGet("/", List).WithSummary("List model ids");
        models.MapGet("/{id}", Get).WithName("model")
            .WithSummary("Read a model: state, shards and their versions, test accuracy")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        models.MapPost("/{id}/predict", Predict)
            .WithSummary("Predict with a model")
            .WithDescription("The ensemble's class probabilities for rows of the test split or for images given as pixel values 0-255.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<AcceptedAtRoute<ModelStatus>, ProblemHttpResult>> Create(CreateModelRequest? request, [FromHeader(Name = IdempotentRequest.Header)] string? idempotencyKey, HttpContext http, IGrainFactory grains)
    {
        var body = request ?? throw LetheException.Invalid("body", "a JSON object with the model's id is required");
        var id = ModelId.Parse(body.Id, "id");
        var ownership = body.Ownership ?? new OwnershipRequest();
        var owners = ownership.Owners?.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(pair => pair.Key, pair => pair.Value);
        var spec = new ModelSpec(body.Dataset ?? "mnist", body.Records, body.Shards, body.Slices, body.Placement, body.Seed, body.EpochsPerStage,
            new OwnershipSpec(ownership.Kind, ownership.Users, ownership.Exponent, owners));
        return await IdempotentRequest.RunAsync(http, idempotencyKey, grains, "POST /v1/models", new { id = id.Value, spec },
            perform: async () => (id.Value, Accepted(await grains.GetGrain<ICoordinatorGrain>(id.Value).Create(spec))),
            replay: async resource => Accepted(await grains.GetGrain<ICoordinatorGrain>(resource).GetStatus()));
    }

    private static async Task<Ok<IReadOnlyList<string>>> List(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IModelRegistryGrain>(0).List());

    private static async Task<Ok<ModelStatus>> Get(string id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICoordinatorGrain>(ModelId.Parse(id, "id").Value).GetStatus());

    private static async Task<Ok<PredictionResult>> Predict(string id, PredictRequest? request, IGrainFactory grains)
    {
        var model = ModelId.Parse(id, "id");
        var body = request ?? throw LetheException.Invalid("body", "a JSON object with test_indices or pixels is required");
        var pixels = body.Pixels?.Select((image, row) => image?.Select(value => value is >= 0 and <= 255
            ? (byte)value
            : throw LetheException.Invalid("pixels", $"image {row} has a value {value} outside 0..255")).ToArray() ?? []).ToArray();
        return TypedResults.Ok(await grains.GetGrain<ICoordinatorGrain>(model.Value).Predict(new PredictionRequest(body.TestIndices, pixels)));
    }

    private static AcceptedAtRoute<ModelStatus> Accepted(ModelStatus status) => TypedResults.AcceptedAtRoute(status, "model", new { id = status.Id });
}
