using Lethe.Learning.Owners;

namespace Lethe.Learning.Sharding;

/// <summary>
/// <see cref="PlacementPolicy.UserAffine"/>. Shards: users new to the layout are taken from the most
/// records to the fewest, each going to the shard with the most room; only a user who does not fit
/// there spills into the next-roomiest, so the heaviest users are split over as few shards as the
/// capacity allows. Records of users already placed go first to the shards holding them. Capacity is
/// ceil(N/S · (1 + tolerance)) for the N records placed after this batch. Slices: inside each shard the
/// new records, ordered by their owner's deletion weight (lightest first), fill the slices from the
/// first one below ceil(shard size / R), so likelier deleters end up in later slices.
/// </summary>
internal static class UserAffinePlacement
{
    public static void Place(ShardLayout layout, IReadOnlyList<int> records, Ownership ownership, IReadOnlyList<double> weights)
    {
        var shards = layout.ShardCount;
        var capacity = (int)Math.Ceiling((layout.Count + records.Count) * (1 + layout.BalanceTolerance) / shards);
        var room = Enumerable.Range(0, shards).Select(s => Math.Max(0, capacity - layout.CountIn(s))).ToArray();
        var owners = ownership.OwnerOf;
        var batch = records.GroupBy(r => owners[r]).Select(g => (User: g.Key, Records: g.Order().ToArray())).ToArray();
        var shardsOfUser = ShardsAlreadyHolding(layout, owners, batch.Select(u => u.User).ToHashSet());
        // Users already placed go first, lightest first: their records then fit where they already are,
        // and only the heaviest (already split) spill. New users follow, heaviest first (LPT packing).
        var users = batch.Where(u => shardsOfUser.ContainsKey(u.User)).OrderBy(u => u.Records.Length).ThenBy(u => u.User)
            .Concat(batch.Where(u => !shardsOfUser.ContainsKey(u.User)).OrderByDescending(u => u.Records.Length).ThenBy(u => u.User))
            .ToArray();

        var incoming = Enumerable.Range(0, shards).Select(_ => new List<int>()).ToArray();
        foreach (var (user, userRecords) in users)
        {
            var held = shardsOfUser.TryGetValue(user, out var existing) ? existing : [];
            var placed = 0;
            while (placed < userRecords.Length)
            {
                var pending = userRecords.Length - placed;
                var target = Roomiest(room, held.Where(s => room[s] > 0));
                if (target < 0) target = Roomiest(room, Enumerable.Range(0, shards));
                int take;
                if (room[target] > 0)
                {
                    take = Math.Min(pending, room[target]);
                    room[target] -= take;
                }
                else
                {
                    // Every shard full happens only when earlier batches were placed over capacity: the smallest shard takes the rest.
                    target = Enumerable.Range(0, shards).MinBy(s => layout.CountIn(s) + incoming[s].Count);
                    take = pending;
                }

                incoming[target].AddRange(userRecords.AsSpan(placed, take));
                placed += take;
                if (!held.Contains(target)) held.Add(target);
            }
        }

        for (var shard = 0; shard < shards; shard++) FillSlices(layout, shard, incoming[shard], owners, weights);
    }

    private static Dictionary<int, List<int>> ShardsAlreadyHolding(ShardLayout layout, int[] owners, HashSet<int> users)
    {
        var holding = new Dictionary<int, SortedSet<int>>();
        for (var shard = 0; shard < layout.ShardCount; shard++)
        {
            for (var slice = 0; slice < layout.SliceCount; slice++)
            {
                foreach (var record in layout.RecordsIn(shard, slice))
                {
                    var owner = owners[record];
                    if (!users.Contains(owner)) continue;
                    if (!holding.TryGetValue(owner, out var set)) holding[owner] = set = [];
                    set.Add(shard);
                }
            }
        }

        return holding.ToDictionary(pair => pair.Key, pair => pair.Value.ToList());
    }

    /// <summary>The candidate with the most room (ties to the lowest index), or -1 when there is none.</summary>
    private static int Roomiest(int[] room, IEnumerable<int> candidates)
    {
        var best = -1;
        foreach (var shard in candidates)
        {
            if (best < 0 || room[shard] > room[best] || (room[shard] == room[best] && shard < best)) best = shard;
        }

        return best;
    }

    private static void FillSlices(ShardLayout layout, int shard, List<int> incoming, int[] owners, IReadOnlyList<double> weights)
    {
        if (incoming.Count == 0) return;
        var target = (layout.CountIn(shard) + incoming.Count + layout.SliceCount - 1) / layout.SliceCount;
        var ordered = incoming.OrderBy(r => weights[owners[r]]).ThenBy(r => owners[r]).ThenBy(r => r);
        var slice = 0;
        foreach (var record in ordered)
        {
            while (slice < layout.SliceCount - 1 && layout.CountIn(shard, slice) >= target) slice++;
            layout.Assign(record, new ShardSlice(shard, slice));
        }
    }
}
