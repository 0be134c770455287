using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;

namespace Lethe.Learning.Tests;

public class ShardLayoutTests
{
    private const int Records = 60_000;
    private static readonly Ownership Zipf = ZipfOwnership.Create(Records, users: 100, exponent: 1.5, seed: 3);

    [Fact]
    public void User_affine_keeps_each_user_in_one_shard_unless_split_to_keep_shards_balanced()
    {
        var layout = Place(PlacementPolicy.UserAffine, shards: 8);
        var capacity = (int)Math.Ceiling(Records * 1.02 / 8);

        var shardsOfUser = ShardsOfUsers(layout);
        // Each split spills into a shard only after filling another, so splits are bounded by the shard count.
        Assert.InRange(shardsOfUser.Values.Sum(s => s.Count - 1), 0, 8 - 1);
        var heaviest = Zipf.UsersByRecordCount()[0];
        Assert.Equal((int)Math.Ceiling(Zipf.RecordCounts[heaviest] / (double)capacity), shardsOfUser[heaviest].Count);
        Assert.True(shardsOfUser.Count(pair => pair.Value.Count == 1) >= 90, "most users live in exactly one shard");

        var sizes = Enumerable.Range(0, 8).Select(s => layout.CountIn(s)).ToArray();
        Assert.Equal(Records, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, Records / 8 * (1 - (7 * 0.02)), capacity));
    }

    [Fact]
    public void User_affine_puts_likelier_deleters_in_later_slices_and_follows_the_callers_weights()
    {
        var layout = Place(PlacementPolicy.UserAffine, shards: 4);
        for (var shard = 0; shard < 4; shard++)
        {
            var weightsBySlice = Enumerable.Range(0, 4)
                .Select(slice => layout.RecordsIn(shard, slice).Select(r => Zipf.RecordCounts[Zipf.OwnerOf[r]]).ToArray()).ToArray();
            for (var slice = 1; slice < 4; slice++)
            {
                if (weightsBySlice[slice - 1].Length == 0 || weightsBySlice[slice].Length == 0) continue;
                Assert.True(weightsBySlice[slice - 1].Max() <= weightsBySlice[slice].Min(), $"shard {shard}: slice {slice} holds a lighter user than slice {slice - 1}");
            }
        }

        // The lightest user, given the highest weight, moves from the first slice of its shard to the last.
        var lightest = Zipf.UsersByRecordCount().Last(u => Zipf.RecordCounts[u] > 0);
        Assert.All(Zipf.RecordsOf(lightest), r => Assert.Equal(0, layout.Locate(r).Slice));
        var weights = Zipf.RecordCounts.Select(c => (double)c).ToArray();
        weights[lightest] = 1e9;
        var weighted = new ShardLayout(4, 4, PlacementPolicy.UserAffine, seed: 1);
        weighted.Add(Enumerable.Range(0, Records).ToArray(), Zipf, weights);
        Assert.All(Zipf.RecordsOf(lightest), r => Assert.Equal(3, weighted.Locate(r).Slice));
    }

    [Theory]
    [InlineData(PlacementPolicy.UserAffine)]
    [InlineData(PlacementPolicy.Uniform)]
    public void Records_added_later_are_placed_without_moving_existing_ones(PlacementPolicy policy)
    {
        var layout = new ShardLayout(8, 4, policy, seed: 1);
        var firstBatch = Enumerable.Range(0, 40_000).ToArray();
        layout.Add(firstBatch, Zipf);
        var before = firstBatch.ToDictionary(r => r, layout.Locate);
        var shardsBefore = ShardsOfUsers(layout);

        var secondBatch = Enumerable.Range(40_000, 20_000).ToArray();
        layout.Add(secondBatch, Zipf);

        Assert.Equal(Records, layout.Count);
        Assert.All(firstBatch, r => Assert.Equal(before[r], layout.Locate(r)));
        if (policy == PlacementPolicy.UserAffine)
        {
            var stayed = secondBatch.Count(r => shardsBefore.TryGetValue(Zipf.OwnerOf[r], out var shards) && shards.Contains(layout.Locate(r).Shard));
            Assert.True(stayed >= 0.95 * secondBatch.Length, $"only {stayed} of {secondBatch.Length} new records joined their owner's shard");
        }
    }

    [Fact]
    public void User_affine_placement_is_a_function_of_its_inputs()
    {
        var first = Place(PlacementPolicy.UserAffine, shards: 8);
        var second = Place(PlacementPolicy.UserAffine, shards: 8);
        Assert.All(Enumerable.Range(0, Records), r => Assert.Equal(first.Locate(r), second.Locate(r)));
    }

    [Fact]
    public void Uniform_spreads_records_evenly_at_random_so_a_heavy_user_touches_every_shard()
    {
        var layout = Place(PlacementPolicy.Uniform, shards: 8);
        var sizes = Enumerable.Range(0, 8).Select(s => layout.CountIn(s)).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1);
        for (var shard = 0; shard < 8; shard++)
        {
            var slices = Enumerable.Range(0, 4).Select(slice => layout.CountIn(shard, slice)).ToArray();
            Assert.True(slices.Max() - slices.Min() <= 1);
        }

        Assert.Equal(8, ShardsOfUsers(layout)[Zipf.UsersByRecordCount()[0]].Count);
        var same = Place(PlacementPolicy.Uniform, shards: 8);
        var other = new ShardLayout(8, 4, PlacementPolicy.Uniform, seed: 2);
        other.Add(Enumerable.Range(0, Records).ToArray(), Zipf);
        Assert.All(Enumerable.Range(0, 1000), r => Assert.Equal(layout.Locate(r), same.Locate(r)));
        Assert.Contains(Enumerable.Range(0, 1000), r => layout.Locate(r) != other.Locate(r));
    }

    [Fact]
    public void Bad_layouts_and_records_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new ShardLayout(0, 4));
        Assert.ThrowsAny<ArgumentException>(() => new ShardLayout(4, 0));
        Assert.ThrowsAny<ArgumentException>(() => new ShardLayout(4, 4, balanceTolerance: -0.1));

        var ownership = new Ownership([0, 1, 1, 2], 3);
        var layout = new ShardLayout(2, 2);
        Assert.Throws<ArgumentException>(() => layout.Add([0, 4], ownership));
        Assert.Throws<ArgumentException>(() => layout.Add([-1], ownership));
        Assert.Throws<ArgumentException>(() => layout.Add([1, 1], ownership));
        Assert.Throws<ArgumentException>(() => layout.Add([0], ownership, [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => layout.Add([0], ownership, [1.0, double.NaN, 1.0]));
        Assert.Equal(0, layout.Count);

        layout.Add([0, 1], ownership);
        Assert.Throws<ArgumentException>(() => layout.Add([1, 2], ownership));
        Assert.Equal(2, layout.Count);
        Assert.Throws<ArgumentException>(() => layout.Locate(2));
    }

    [Fact]
    public void Policy_names_round_trip()
    {
        Assert.Equal(PlacementPolicy.UserAffine, PlacementPolicyNames.Parse("user-affine"));
        Assert.Equal(PlacementPolicy.Uniform, PlacementPolicyNames.Parse("Uniform"));
        Assert.All(Enum.GetValues<PlacementPolicy>(), p => Assert.Equal(p, PlacementPolicyNames.Parse(p.ToName())));
        Assert.Throws<ArgumentException>(() => PlacementPolicyNames.Parse("random"));
    }

    private static ShardLayout Place(PlacementPolicy policy, int shards)
    {
        var layout = new ShardLayout(shards, 4, policy, seed: 1);
        layout.Add(Enumerable.Range(0, Records).ToArray(), Zipf);
        return layout;
    }

    private static Dictionary<int, HashSet<int>> ShardsOfUsers(ShardLayout layout)
    {
        var shards = new Dictionary<int, HashSet<int>>();
        for (var record = 0; record < Zipf.OwnerOf.Length; record++)
        {
            if (!layout.TryLocate(record, out var location)) continue;
            var owner = Zipf.OwnerOf[record];
            if (!shards.TryGetValue(owner, out var set)) shards[owner] = set = [];
            set.Add(location.Shard);
        }

        return shards;
    }
}
