namespace Lethe.Grains;

/// <summary>How to build a model: its data, its SISA layout, its seed and who owns which records.</summary>
/// <param name="Dataset">The training data: <c>mnist</c> or <c>fashion-mnist</c>.</param>
/// <param name="Records">Train on the first this many records of the dataset (null: all of them).</param>
/// <param name="Shards">S, the shards (1 to 64).</param>
/// <param name="Slices">R, the slices per shard (1 to 32).</param>
/// <param name="Placement">How records are placed over shards and slices.</param>
/// <param name="Seed">The run seed every random choice derives from.</param>
/// <param name="EpochsPerStage">Epochs of each stage (null: the recipe's default).</param>
/// <param name="Ownership">Who owns each record.</param>
[GenerateSerializer, Immutable, Alias("lethe.model-spec")]
public sealed record ModelSpec(
    string Dataset,
    int? Records,
    int Shards,
    int Slices,
    Placement Placement,
    long Seed,
    int? EpochsPerStage,
    OwnershipSpec Ownership);

/// <summary>How records are placed over shards and slices (see the SISA placement policies).</summary>
public enum Placement
{
    /// <summary>A user's records in one shard, users likelier to delete in later slices.</summary>
    UserAffine,

    /// <summary>Records spread evenly at random.</summary>
    Uniform,
}

/// <summary>How records get their owners.</summary>
public enum OwnershipKind
{
    /// <summary><c>Users</c> users <c>user-0</c>, <c>user-1</c>, ... drawn from a Zipf law with <c>Exponent</c> (seeded): user-0 owns most.</summary>
    Zipf,

    /// <summary>The owners named in <c>Owners</c>: user id to record indices; records nobody owns are trained on and cannot be deleted by a user.</summary>
    Explicit,
}

/// <summary>Who owns each record of a model.</summary>
/// <param name="Kind">Zipf-drawn or explicit.</param>
/// <param name="Users">For Zipf: the number of users.</param>
/// <param name="Exponent">For Zipf: the exponent of the law.</param>
/// <param name="Owners">For explicit ownership: user id to the indices of the records they own.</param>
[GenerateSerializer, Immutable, Alias("lethe.ownership-spec")]
public sealed record OwnershipSpec(OwnershipKind Kind, int Users, double Exponent, IReadOnlyDictionary<string, int[]>? Owners);
