namespace Lethe.Silo.Api;

/// <summary>POST /v1/models: a model to create and train. Missing fields take the defaults shown.</summary>
/// <param name="Id">The model's id (required).</param>
/// <param name="Dataset">Default <c>mnist</c>.</param>
/// <param name="Records">Train on the first this many records (default: all).</param>
/// <param name="Shards">Default 8.</param>
/// <param name="Slices">Default 4.</param>
/// <param name="Placement">Default <c>user-affine</c>.</param>
/// <param name="Seed">Default 1.</param>
/// <param name="EpochsPerStage">Default: the recipe's.</param>
/// <param name="Ownership">Default: 100 Zipf(1.5) users.</param>
internal sealed record CreateModelRequest(
    string? Id,
    string? Dataset = "mnist",
    int? Records = null,
    int Shards = 8,
    int Slices = 4,
    Lethe.Grains.Placement Placement = Lethe.Grains.Placement.UserAffine,
    long Seed = 1,
    int? EpochsPerStage = null,
    OwnershipRequest? Ownership = null);

/// <summary>Who owns the records: <c>zipf</c> (users, exponent) or <c>explicit</c> (owners: user id to record indices).</summary>
internal sealed record OwnershipRequest(Lethe.Grains.OwnershipKind Kind = Lethe.Grains.OwnershipKind.Zipf, int Users = 100, double Exponent = 1.5, Dictionary<string, int[]>? Owners = null);

/// <summary>POST /v1/deletions: forget a user, by default exactly (<c>sisa</c>).</summary>
internal sealed record DeletionRequest(string? UserId, string? Method = "sisa");

/// <summary>POST /v1/models/{id}/predict: rows of the test split, or images as arrays of pixel values 0-255.</summary>
internal sealed record PredictRequest(int[]? TestIndices = null, int[][]? Pixels = null);
