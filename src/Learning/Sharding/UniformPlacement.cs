using Lethe.Learning.Training;

namespace Lethe.Learning.Sharding;

/// <summary>
/// <see cref="PlacementPolicy.Uniform"/>: a seeded shuffle of the new records dealt one by one to the
/// emptiest shard and, within it, to its emptiest slice (ties to the lowest index), so shards and
/// slices stay within one record of each other while the choice of records is random.
/// </summary>
internal static class UniformPlacement
{
    public static void Place(ShardLayout layout, IReadOnlyList<int> records)
    {
        var order = records.ToArray();
        // The number already placed tells batches apart, so every batch gets its own shuffle.
        Seeds.Generator(layout.Seed, Seeds.Purpose.Placement, layout.Count).Shuffle(order);
        var shardCounts = Enumerable.Range(0, layout.ShardCount).Select(s => layout.CountIn(s)).ToArray();
        foreach (var record in order)
        {
            var shard = IndexOfMin(shardCounts);
            var slice = 0;
            for (var s = 1; s < layout.SliceCount; s++)
            {
                if (layout.CountIn(shard, s) < layout.CountIn(shard, slice)) slice = s;
            }

            layout.Assign(record, new ShardSlice(shard, slice));
            shardCounts[shard]++;
        }
    }

    private static int IndexOfMin(int[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[best]) best = i;
        }

        return best;
    }
}
