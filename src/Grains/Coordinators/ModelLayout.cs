using Lethe.Grains.Compute;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;

namespace Lethe.Grains.Coordinators;

/// <summary>
/// Where a model's records go: who owns each, and which shard and slice holds it. A function of the
/// spec alone, so building it again after a crash gives the same answer.
/// </summary>
internal sealed class ModelLayout
{
    private readonly ShardLayout layout;
    private readonly Ownership ownership;
    private readonly string[] userIds;

    private ModelLayout(ShardLayout layout, Ownership ownership, string[] userIds)
    {
        this.layout = layout;
        this.ownership = ownership;
        this.userIds = userIds;
    }

    /// <summary>Places the records of <paramref name="spec"/> (the first <c>Records</c> rows of a dataset of <paramref name="available"/>).</summary>
    public static ModelLayout Build(ModelSpec spec, int available)
    {
        var records = spec.Records ?? available;
        var (ownership, userIds) = spec.Ownership.Kind == OwnershipKind.Zipf ? Zipf(spec, records) : Explicit(spec.Ownership, records);
        var shardLayout = ModelRecipe.ShardingOptions(spec).CreateLayout(spec.Seed);
        shardLayout.Add(Enumerable.Range(0, records).ToArray(), ownership);
        return new ModelLayout(shardLayout, ownership, userIds);
    }

    /// <summary>Every user who owns records, with their records by shard (users with no records are left out; so are records nobody owns).</summary>
    public IEnumerable<(string User, Dictionary<int, int[]> RecordsByShard)> Users()
    {
        var byUser = new Dictionary<int, Dictionary<int, List<int>>>();
        for (var record = 0; record < ownership.OwnerOf.Length; record++)
        {
            var user = ownership.OwnerOf[record];
            if (user >= userIds.Length) continue;
            if (!byUser.TryGetValue(user, out var shards)) byUser[user] = shards = [];
            var shard = layout.Locate(record).Shard;
            if (!shards.TryGetValue(shard, out var list)) shards[shard] = list = [];
            list.Add(record);
        }

        return byUser.OrderBy(pair => pair.Key).Select(pair => (userIds[pair.Key], pair.Value.ToDictionary(s => s.Key, s => s.Value.ToArray())));
    }

    /// <summary>Shard <paramref name="shard"/>'s records per slice, without <paramref name="excluded"/>.</summary>
    public int[][] Slices(int shard, IReadOnlySet<int> excluded) =>
        [.. layout.SlicesOf(shard).Select(slice => slice.Where(r => !excluded.Contains(r)).ToArray())];

    private static (Ownership, string[]) Zipf(ModelSpec spec, int records)
    {
        var ownership = ZipfOwnership.Create(records, spec.Ownership.Users, spec.Ownership.Exponent, spec.Seed);
        return (ownership, [.. Enumerable.Range(0, spec.Ownership.Users).Select(k => $"user-{k}")]);
    }

    // Users in ordinal order of their ids; records nobody owns go to one extra owner that has no user grain.
    private static (Ownership, string[]) Explicit(OwnershipSpec spec, int records)
    {
        var users = spec.Owners!.Keys.Order(StringComparer.Ordinal).ToArray();
        var owners = Enumerable.Repeat(users.Length, records).ToArray();
        for (var user = 0; user < users.Length; user++)
        {
            foreach (var record in spec.Owners[users[user]]) owners[record] = user;
        }

        return (new Ownership(owners, users.Length + 1), users);
    }
}
