using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Grains.Shards;
using Lethe.Learning.Data;
using Lethe.Learning.Sharding;
using Microsoft.Data.Sqlite;

namespace Lethe.Grains.Tests;

[Collection(GrainSilos.Name)]
public sealed class SiloFailureTests
{
    // Two shards of 15,000 records, 8 epochs a stage: a replay from the first slice that keeps most of a shard trains its
    // two later stages for two seconds or more after storing the first, time enough to kill its silo in between.
    private static readonly ModelSpec Spec = new("mnist", 30_000, 2, 3, Placement.UserAffine, 11, 8, new OwnershipSpec(OwnershipKind.Zipf, 40, 1.5, null));

    [Fact]
    public async Task A_silo_killed_mid_replay_leaves_the_deletion_to_complete_once_with_the_exact_weights()
    {
        await using var silos = await GrainCluster.StartAsync(3);
        var model = silos.Grains.GetGrain<ICoordinatorGrain>("killed");
        await model.Create(Spec);
        await GrainCluster.Until(model.GetStatus, s => s.State == ModelState.Ready, TimeSpan.FromMinutes(3), "model ready");

        // The smallest user held whole by one shard with records in its first slice: forgetting them replays every stage
        // of a shard that keeps nearly all its records (Zipf's first user holds most of a shard, and its replay is short).
        var layout = ModelLayout.Build(Spec, 60_000);
        var firstSlices = Enumerable.Range(0, Spec.Shards).ToDictionary(s => s, s => layout.Slices(s, new HashSet<int>())[0].ToHashSet());
        var (user, byShard) = layout.Users()
            .Where(u => u.RecordsByShard.Count == 1 && u.RecordsByShard.Single().Value.Any(firstSlices[u.RecordsByShard.Single().Key].Contains))
            .MinBy(u => u.RecordsByShard.Single().Value.Length);
        var shard = byShard.Keys.Single();
        var shardGrain = silos.Grains.GetGrain<IShardGrain>(ShardGrain.Key("killed", shard));

        // The primary silo hosts the in-memory membership: keep the shard off it, so killing its silo leaves a cluster.
        var secondary = silos.Cluster.Silos[1];
        if ((await shardGrain.GetStatus()).Silo != secondary.Name) await silos.Cluster.MigrateAsync(shardGrain, secondary.SiloAddress);
        Assert.Equal(secondary.Name, (await shardGrain.GetStatus()).Silo);

        var deletion = silos.Grains.GetGrain<IDeletionGrain>(DeletionId.ForUser(UserId.Parse(user)).Value);
        await deletion.Submit(UserId.Parse(user), UnlearningMethod.Sisa);
        // Killed once the replay has stored its first stage's checkpoint, before it commits: the shard restarts from stages of an uncommitted update.
        var key = ShardGrain.Key("killed", shard);
        var committed = StoredVersion(silos.StoreFile, key, "shard");
        await GrainCluster.Until(() => Task.FromResult(StoredVersion(silos.StoreFile, key, "shard-stage-0")), version => version >= 2, TimeSpan.FromSeconds(60), "the replay's first stage stored");
        await silos.Cluster.KillSiloAsync(secondary);
        Assert.Equal(committed, StoredVersion(silos.StoreFile, key, "shard"));

        var done = await GrainCluster.Until(deletion.GetStatus, s => s!.IsFinished, TimeSpan.FromMinutes(3), "deletion finished after the kill");
        var after = await shardGrain.GetStatus();

        Assert.Equal(DeletionState.Completed, done!.State);
        Assert.True(done.Exact);
        Assert.NotEqual(secondary.Name, after.Silo);
        Assert.Equal(1, after.Replays); // the killed replay never committed; the deletion was applied once
        Assert.Equal(FromScratch(layout, shard, byShard[shard].ToHashSet()), after.WeightHash);
        Assert.Equal(after.Version, done.ShardVersions["killed"][shard]);
    }

    // The store's version of a grain state: how many times it was written.
    private static long StoredVersion(string file, string key, string state)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM orleans_storage WHERE grain_type_string = $state AND grain_id_extension_string = $key";
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long version ? version : 0;
    }

    private static string FromScratch(ModelLayout layout, int shard, IReadOnlySet<int> forgotten)
    {
        var data = ImageDatasets.Load("mnist", Split.Train, GrainCluster.DataFolder());
        return Shard.Train(data, shard, layout.Slices(shard, forgotten), ModelRecipe.ShardingOptions(Spec), Spec.Seed).WeightHash();
    }
}
