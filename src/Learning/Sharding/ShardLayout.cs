using Lethe.Learning.Owners;

namespace Lethe.Learning.Sharding;

/// <summary>
/// Which shard and slice each record lives in, placed by a <see cref="PlacementPolicy"/>. The layout
/// only grows: once placed, a record never moves, so records added later leave every existing
/// assignment (and the checkpoints that depend on it) as it was.
/// </summary>
public sealed class ShardLayout
{
    private readonly List<int>[][] cells;
    private readonly Dictionary<int, ShardSlice> locations;

    /// <summary>Creates an empty layout of <paramref name="shards"/> shards of <paramref name="slices"/> slices each.</summary>
    /// <param name="shards">S, at least 1.</param>
    /// <param name="slices">R, at least 1.</param>
    /// <param name="policy">How records are placed.</param>
    /// <param name="seed">Seed of the placement's random choices.</param>
    /// <param name="balanceTolerance">
    /// For <see cref="PlacementPolicy.UserAffine"/>: how far above N/S a shard may fill, as a fraction
    /// (0.02 lets a shard hold 2% more than an even share); more room splits fewer users.
    /// </param>
    public ShardLayout(int shards, int slices, PlacementPolicy policy = PlacementPolicy.UserAffine, long seed = 0, double balanceTolerance = 0.02)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        if (!Enum.IsDefined(policy)) throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown placement policy.");
        if (!(balanceTolerance >= 0 && double.IsFinite(balanceTolerance)))
            throw new ArgumentOutOfRangeException(nameof(balanceTolerance), balanceTolerance, "The balance tolerance must be a finite fraction of at least 0.");
        ShardCount = shards;
        SliceCount = slices;
        Policy = policy;
        Seed = seed;
        BalanceTolerance = balanceTolerance;
        cells = Enumerable.Range(0, shards).Select(_ => Enumerable.Range(0, slices).Select(_ => new List<int>()).ToArray()).ToArray();
        locations = [];
    }

    private ShardLayout(ShardLayout source)
        : this(source.ShardCount, source.SliceCount, source.Policy, source.Seed, source.BalanceTolerance)
    {
        for (var shard = 0; shard < ShardCount; shard++)
        {
            for (var slice = 0; slice < SliceCount; slice++) cells[shard][slice].AddRange(source.cells[shard][slice]);
        }

        locations = new Dictionary<int, ShardSlice>(source.locations);
    }

    /// <summary>Number of shards, S.</summary>
    public int ShardCount { get; }

    /// <summary>Number of slices per shard, R.</summary>
    public int SliceCount { get; }

    /// <summary>How records are placed.</summary>
    public PlacementPolicy Policy { get; }

    /// <summary>Seed of the placement's random choices.</summary>
    public long Seed { get; }

    /// <summary>How far above an even share a user-affine shard may fill, as a fraction.</summary>
    public double BalanceTolerance { get; }

    /// <summary>Number of records placed.</summary>
    public int Count => locations.Count;

    /// <summary>Whether <paramref name="record"/> has been placed.</summary>
    public bool Contains(int record) => locations.ContainsKey(record);

    /// <summary>Where <paramref name="record"/> lives, if it has been placed.</summary>
    public bool TryLocate(int record, out ShardSlice location) => locations.TryGetValue(record, out location);

    /// <summary>Where <paramref name="record"/> lives.</summary>
    /// <exception cref="ArgumentException">The record has not been placed.</exception>
    public ShardSlice Locate(int record) =>
        locations.TryGetValue(record, out var location) ? location : throw new ArgumentException($"Record {record} is not placed.", nameof(record));

    /// <summary>The records of one slice of one shard, in the order they were placed.</summary>
    public IReadOnlyList<int> RecordsIn(int shard, int slice) => cells[CheckShard(shard)][CheckSlice(slice)];

    /// <summary>The records of every slice of one shard, first slice first.</summary>
    public IReadOnlyList<IReadOnlyList<int>> SlicesOf(int shard) => cells[CheckShard(shard)];

    /// <summary>Number of records in a shard.</summary>
    public int CountIn(int shard) => cells[CheckShard(shard)].Sum(slice => slice.Count);

    /// <summary>Number of records in one slice of a shard.</summary>
    public int CountIn(int shard, int slice) => cells[CheckShard(shard)][CheckSlice(slice)].Count;

    /// <summary>
    /// Places <paramref name="records"/> (ids into <paramref name="ownership"/>, none placed yet) by the
    /// layout's policy, without moving any record already placed.
    /// </summary>
    /// <param name="records">Record ids, distinct, each below <c>ownership.OwnerOf.Length</c>.</param>
    /// <param name="ownership">The owner of every record.</param>
    /// <param name="deletionWeights">
    /// Per user, how likely the user is to ask for deletion (any non-negative scale); user-affine
    /// placement puts likelier deleters in later slices. Default: each user's record count.
    /// </param>
    /// <exception cref="ArgumentException">A record is out of range, repeated or already placed, or a weight is invalid; nothing is placed.</exception>
    public void Add(IReadOnlyList<int> records, Ownership ownership, IReadOnlyList<double>? deletionWeights = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(ownership);
        CheckNewRecords(records, ownership);
        var weights = deletionWeights ?? ownership.RecordCounts.Select(count => (double)count).ToArray();
        if (weights.Count != ownership.UserCount)
            throw new ArgumentException($"{weights.Count} deletion weights for {ownership.UserCount} users.", nameof(deletionWeights));
        if (weights.Any(w => !(w >= 0 && double.IsFinite(w))))
            throw new ArgumentException("Deletion weights must be finite and at least 0.", nameof(deletionWeights));

        if (Policy == PlacementPolicy.Uniform) UniformPlacement.Place(this, records);
        else UserAffinePlacement.Place(this, records, ownership, weights);
    }

    /// <summary>An independent copy of the layout.</summary>
    public ShardLayout Clone() => new(this);

    /// <summary>Puts one new record in a cell; the policies call this.</summary>
    internal void Assign(int record, ShardSlice location)
    {
        cells[location.Shard][location.Slice].Add(record);
        locations.Add(record, location);
    }

    private void CheckNewRecords(IReadOnlyList<int> records, Ownership ownership)
    {
        var seen = new HashSet<int>();
        foreach (var record in records)
        {
            if ((uint)record >= (uint)ownership.OwnerOf.Length)
                throw new ArgumentException($"Record {record} is outside 0..{ownership.OwnerOf.Length - 1}, the records the ownership table knows.", nameof(records));
            if (!seen.Add(record)) throw new ArgumentException($"Record {record} appears twice.", nameof(records));
            if (locations.ContainsKey(record)) throw new ArgumentException($"Record {record} is already placed; placements never move.", nameof(records));
        }
    }

    private int CheckShard(int shard)
    {
        if ((uint)shard >= (uint)ShardCount) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"Shards are 0..{ShardCount - 1}.");
        return shard;
    }

    private int CheckSlice(int slice)
    {
        if ((uint)slice >= (uint)SliceCount) throw new ArgumentOutOfRangeException(nameof(slice), slice, $"Slices are 0..{SliceCount - 1}.");
        return slice;
    }
}
