using System.Text;
using System.Text.Json.Nodes;
using Lethe.Grains;
using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Grains.Deletions;
using Lethe.Grains.Shards;
using Lethe.Grains.Users;
using Lethe.Learning.Data;
using Lethe.Learning.Sharding;

namespace Lethe.Cluster.Tests;

/// <summary>One `lethe serve` killed with SIGKILL in the middle of a replay, and started again on the same store.</summary>
[Collection(ServerProcesses.Name)]
public sealed class KilledSiloTests : IDisposable
{
    // Four shards of 5,000 records, 6 epochs a stage: a replay from an early slice runs long enough to be killed.
    private static readonly ModelSpec Spec = new("mnist", 20_000, 4, 3, Placement.UserAffine, 3, 6, new OwnershipSpec(OwnershipKind.Zipf, 60, 1.5, null));
    private readonly string folder = Directory.CreateTempSubdirectory("lethe-killed-").FullName;

    private string Store => Path.Combine(folder, "lethe.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Thirty_deletions_with_a_kill_mid_replay_all_complete_once_exact_and_leave_no_trace_of_the_users()
    {
        var layout = ModelLayout.Build(Spec, 60_000);
        var users = layout.Users().ToDictionary(u => u.User, u => u.RecordsByShard);
        var deleted = Heaviest(users, 30);
        var accepted = new Dictionary<string, string>();

        await using (var first = await LetheServer.StartAsync(Store))
        {
            await first.PostAsync("/v1/models", ModelRequest());
            await first.UntilAsync("/v1/models/killed", m => (string)m["state"]! == "ready", TimeSpan.FromMinutes(3));
            foreach (var user in deleted.Take(10)) accepted[user] = (string)(await first.PostAsync("/v1/deletions", new { user_id = user }))["id"]!;
            await first.UntilAsync("/v1/models/killed", m => m["shards"]!.AsArray().Any(s => (bool)s!["updating"]!), TimeSpan.FromMinutes(1));
            await first.KillAsync();
        }

        await using (var second = await LetheServer.StartAsync(Store))
        {
            foreach (var user in deleted.Skip(10)) accepted[user] = (string)(await second.PostAsync("/v1/deletions", new { user_id = user }))["id"]!;
            foreach (var id in accepted.Values)
            {
                var done = await second.UntilAsync($"/v1/deletions/{id}", d => (bool)d["is_finished"]!, TimeSpan.FromMinutes(4));
                Assert.Equal("completed", (string)done["state"]!);
                Assert.True((bool)done["exact"]!);
            }

            // Every shard serves the very bytes of training it from scratch without the deleted users.
            var forgotten = deleted.SelectMany(u => users[u].Values.SelectMany(r => r)).ToHashSet();
            var model = await second.GetAsync("/v1/models/killed");
            var data = ImageDatasets.Load("mnist", Split.Train, LetheServer.DataFolder());
            foreach (var shard in model["shards"]!.AsArray())
            {
                var index = (int)shard!["index"]!;
                var fromScratch = Shard.Train(data, index, layout.Slices(index, forgotten), ModelRecipe.ShardingOptions(Spec), Spec.Seed);
                Assert.Equal(fromScratch.WeightHash(), (string)shard["weight_hash"]!);
            }

            // Applied once: one record of each step of each deletion in the audit log.
            var audit = await second.GetAsync("/v1/audit?limit=1000");
            foreach (var id in accepted.Values)
            {
                var kinds = audit.AsArray().Where(e => (string?)e!["deletion_id"] == id).Select(e => (string)e!["kind"]!).Where(k => k.StartsWith("deletion.", StringComparison.Ordinal)).ToList();
                Assert.Equal(["deletion.accepted", "deletion.forgetting", "deletion.models-updated", "deletion.purged", "deletion.completed"], kinds);
            }

            Assert.True((bool)(await second.GetAsync("/v1/audit/verify"))["is_intact"]!);
        }

        AssertNothingOfTheUsersIsStored(deleted, users);
    }

    private void AssertNothingOfTheUsersIsStored(IReadOnlyList<string> deleted, Dictionary<string, Dictionary<int, int[]>> users)
    {
        var forgotten = deleted.SelectMany(u => users[u].Values.SelectMany(r => r)).ToHashSet();
        var stored = StoredState.Read(Store);
        Assert.DoesNotContain(stored.Rows, r => r.Type == "user" && deleted.Contains(r.Key));
        foreach (var (key, shard) in stored.Of<ShardModelState>()) Assert.DoesNotContain(shard.Slices.SelectMany(s => s), forgotten.Contains);
        Assert.All(stored.Of<ShardQueueState>(), q => Assert.Empty(q.State.Items));
        Assert.All(stored.Of<CoordinatorState>(), c => Assert.Empty(c.State.Pending));
        Assert.All(stored.Of<DeletionRecord>(), d => Assert.Null(d.State.UserId));
        Assert.All(stored.Of<UserState>(), u => Assert.DoesNotContain(u.State.Models.Values.SelectMany(m => m.Values).SelectMany(r => r), forgotten.Contains));

        // No deleted user's id is anywhere in the file's bytes (ids that prefix a kept user's id are left out: their bytes are in it).
        var file = File.ReadAllBytes(Store);
        foreach (var user in deleted.Where(u => !users.Keys.Any(kept => kept != u && !deleted.Contains(kept) && kept.StartsWith(u, StringComparison.Ordinal))))
            Assert.True(file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(user)) < 0, $"{user} is still in the store file");
    }

    private static object ModelRequest() => new
    {
        id = "killed", dataset = Spec.Dataset, records = Spec.Records, shards = Spec.Shards, slices = Spec.Slices, seed = Spec.Seed,
        epochs_per_stage = Spec.EpochsPerStage, ownership = new { kind = "zipf", users = Spec.Ownership.Users, exponent = Spec.Ownership.Exponent },
    };

    // The heaviest users first, so the first replays start from early slices and run long.
    private static string[] Heaviest(Dictionary<string, Dictionary<int, int[]>> users, int count) =>
        [.. users.OrderByDescending(u => u.Value.Values.Sum(r => r.Length)).ThenBy(u => u.Key, StringComparer.Ordinal).Take(count).Select(u => u.Key)];
}

[CollectionDefinition(Name)]
public sealed class ServerProcesses
{
    public const string Name = "server processes";
}
