using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Grains.Shards;
using Lethe.Learning.Data;
using Lethe.Learning.Sharding;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Grains.Tests;

[Collection(GrainSilos.Name)]
public sealed class ShardCoalescingTests
{
    private static readonly ModelSpec Spec = new("mnist", 3000, 3, 3, Placement.UserAffine, 7, 2, new OwnershipSpec(OwnershipKind.Zipf, 30, 1.5, null));

    [Fact]
    public async Task Deletions_waiting_for_a_busy_shard_share_one_replay_and_leave_the_exact_model()
    {
        await using var silos = await GrainCluster.StartAsync(3);
        var model = silos.Grains.GetGrain<ICoordinatorGrain>("coalesce");
        await model.Create(Spec);
        await GrainCluster.Until(model.GetStatus, s => s.State == ModelState.Ready, TimeSpan.FromMinutes(2), "model ready");

        var layout = ModelLayout.Build(Spec, 60_000);
        var (shard, users) = layout.Users()
            .Where(u => u.RecordsByShard.Count == 1)
            .GroupBy(u => u.RecordsByShard.Keys.Single())
            .Select(g => (Shard: g.Key, Users: g.Take(4).ToArray()))
            .First(g => g.Users.Length == 4);
        var shardGrain = silos.Grains.GetGrain<IShardGrain>(ShardGrain.Key("coalesce", shard));
        var before = await shardGrain.GetStatus();

        // Hold the shard's silo's compute gate, so all four deletions queue before the shard can start.
        var gate = silos.Silo(before.Silo).ServiceProvider.GetRequiredService<ComputeGate>();
        var held = await gate.Enter();
        var deletions = users.Select(u => silos.Grains.GetGrain<IDeletionGrain>(DeletionId.ForUser(UserId.Parse(u.User)).Value)).ToArray();
        await Task.WhenAll(users.Select((u, i) => deletions[i].Submit(UserId.Parse(u.User), UnlearningMethod.Sisa)));
        await GrainCluster.Until(shardGrain.GetStatus, s => s.Pending == users.Length, TimeSpan.FromSeconds(30), "all four queued on the shard");
        held.Dispose();

        var finished = await Task.WhenAll(deletions.Select(d => GrainCluster.Until(d.GetStatus, s => s!.State == DeletionState.Completed, TimeSpan.FromMinutes(1), "deletion completed")));
        var after = await shardGrain.GetStatus();

        Assert.Equal(before.Replays + 1, after.Replays);
        Assert.All(finished, s => Assert.Equal(after.Version, s!.ShardVersions["coalesce"][shard]));
        var forgotten = users.SelectMany(u => u.RecordsByShard[shard]).ToHashSet();
        Assert.Equal(FromScratch(layout, shard, forgotten), after.WeightHash);
    }

    private static string FromScratch(ModelLayout layout, int shard, IReadOnlySet<int> forgotten)
    {
        var data = ImageDatasets.Load("mnist", Split.Train, GrainCluster.DataFolder());
        return Shard.Train(data, shard, layout.Slices(shard, forgotten), ModelRecipe.ShardingOptions(Spec), Spec.Seed).WeightHash();
    }
}
