using Lethe.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lethe.Silo.Api;

/// <summary><c>/v1/models</c>: create and train a model, read its status, predict with it.</summary>
internal static class ModelEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var models = v1.MapGroup("/models").WithTags("models");
        models.MapPost("/", Create).AddEndpointFilter<RequireApiKey>();
        models.MapGet("/", List);
        models.MapGet("/{id}", Get).WithName("model");
        models.MapPost("/{id}/predict", Predict);
    }

    private static async Task<AcceptedAtRoute<ModelStatus>> Create(CreateModelRequest request, IGrainFactory grains)
    {
        var id = ModelId.Parse(request.Id, "id");
        var ownership = request.Ownership ?? new OwnershipRequest();
        var spec = new ModelSpec(request.Dataset ?? "mnist", request.Records, request.Shards, request.Slices, request.Placement, request.Seed, request.EpochsPerStage,
            new OwnershipSpec(ownership.Kind, ownership.Users, ownership.Exponent, ownership.Owners));
        var status = await grains.GetGrain<ICoordinatorGrain>(id.Value).Create(spec);
        return TypedResults.AcceptedAtRoute(status, "model", new { id = id.Value });
    }

    private static async Task<Ok<IReadOnlyList<string>>> List(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IModelRegistryGrain>(0).List());

    private static async Task<Ok<ModelStatus>> Get(string id, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICoordinatorGrain>(ModelId.Parse(id).Value).GetStatus());

    private static async Task<Ok<PredictionResult>> Predict(string id, PredictRequest request, IGrainFactory grains)
    {
        var model = ModelId.Parse(id);
        var pixels = request.Pixels?.Select((image, row) => image?.Select(value => value is >= 0 and <= 255
            ? (byte)value
            : throw LetheException.Invalid("pixels", $"image {row} has a value {value} outside 0..255")).ToArray()).ToArray();
        return TypedResults.Ok(await grains.GetGrain<ICoordinatorGrain>(model.Value).Predict(new PredictionRequest(request.TestIndices, pixels!)));
    }
}
