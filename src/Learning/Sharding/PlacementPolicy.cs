namespace Lethe.Learning.Sharding;

/// <summary>How records are spread over shards and slices.</summary>
public enum PlacementPolicy
{
    /// <summary>
    /// <c>uniform</c>: records spread at random (seeded), evenly over shards and over the slices of
    /// each shard, as in SISA. One heavy user touches every shard.
    /// </summary>
    Uniform,

    /// <summary>
    /// <c>user-affine</c>: all of a user's records in one shard, except that heavy users are split
    /// over as few shards as keep every shard within its capacity; inside a shard, records of users
    /// more likely to delete go into later slices, so their replays are short.
    /// </summary>
    UserAffine,
}

/// <summary>The names of <see cref="PlacementPolicy"/> values as the API and reports spell them.</summary>
public static class PlacementPolicyNames
{
    /// <summary>Every policy name.</summary>
    public static readonly IReadOnlyList<string> All = ["uniform", "user-affine"];

    /// <summary>The name of <paramref name="policy"/>: <c>uniform</c> or <c>user-affine</c>.</summary>
    public static string ToName(this PlacementPolicy policy) => policy switch
    {
        PlacementPolicy.Uniform => "uniform",
        PlacementPolicy.UserAffine => "user-affine",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown placement policy."),
    };

    /// <summary>The policy named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="All"/>.</exception>
    public static PlacementPolicy Parse(string name) => name?.ToLowerInvariant() switch
    {
        "uniform" => PlacementPolicy.Uniform,
        "user-affine" => PlacementPolicy.UserAffine,
        _ => throw new ArgumentException($"Unknown placement policy '{name}'; use {string.Join(" or ", All)}.", nameof(name)),
    };
}
