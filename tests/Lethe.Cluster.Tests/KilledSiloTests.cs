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
        var model = new ProcessModel("killed", Spec);
        var deleted = model.Heaviest(30);
        var accepted = new Dictionary<string, string>();

        await using (var first = await LetheServer.StartAsync(Store))
        {
            await first.PostAsync("/v1/models", model.Request());
            await first.UntilAsync(model.Path, m => (string)m["state"]! == "ready", TimeSpan.FromMinutes(3));
            foreach (var user in deleted.Take(10)) accepted[user] = (string)(await first.PostAsync("/v1/deletions", new { user_id = user }))["id"]!;
            await first.UntilAsync(model.Path, m => m["shards"]!.AsArray().Any(s => (bool)s!["updating"]!), TimeSpan.FromMinutes(1));
            await first.KillAsync();
        }

        await using (var second = await LetheServer.StartAsync(Store))
        {
            foreach (var user in deleted.Skip(10)) accepted[user] = (string)(await second.PostAsync("/v1/deletions", new { user_id = user }))["id"]!;
            await ProcessModel.AssertCompletedExactlyAsync(second, accepted.Values, TimeSpan.FromMinutes(4));
            await model.AssertServesFromScratchWithoutAsync(second, deleted);
            await ProcessModel.AssertEachStepAuditedOnceAsync(second, accepted.Values);

            // The silo rewrites its file shortly after purges: SQLite leaves fragments of moved rows in free page space.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (UserIdsIn(File.ReadAllBytes(Store), deleted, model.Users).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(500);
        }

        AssertNothingOfTheUsersIsStored(deleted, model);
    }

    private void AssertNothingOfTheUsersIsStored(IReadOnlyList<string> deleted, ProcessModel model)
    {
        var users = model.Users;
        var forgotten = model.RecordsOf(deleted);
        var stored = StoredState.Read(Store);
        Assert.DoesNotContain(stored.Rows, r => r.Type == "user" && deleted.Contains(r.Key));
        foreach (var (key, shard) in stored.Of<ShardModelState>()) Assert.DoesNotContain(shard.Slices.SelectMany(s => s), forgotten.Contains);
        Assert.All(stored.Of<ShardQueueState>(), q => Assert.Empty(q.State.Items));
        Assert.All(stored.Of<CoordinatorState>(), c => Assert.Empty(c.State.Pending));
        Assert.All(stored.Of<DeletionRecord>(), d => Assert.Null(d.State.UserId));
        Assert.All(stored.Of<UserState>(), u => Assert.DoesNotContain(u.State.Models.Values.SelectMany(m => m.Values).SelectMany(r => r), forgotten.Contains));

        // No deleted user's id is anywhere in the file's bytes.
        var file = File.ReadAllBytes(Store);
        foreach (var (user, at) in UserIdsIn(file, deleted, users))
            Assert.Fail($"{user} is still in the store file, at byte {at} (page {at / 65536 + 1}): {Around(file, at)}");
    }

    // Where each deleted user's id is in the file (ids that prefix a kept user's id are left out: their bytes are in it).
    private static List<(string User, int At)> UserIdsIn(byte[] file, IReadOnlyList<string> deleted, Dictionary<string, Dictionary<int, int[]>> users) =>
        [.. deleted
            .Where(u => !users.Keys.Any(kept => kept != u && !deleted.Contains(kept) && kept.StartsWith(u, StringComparison.Ordinal)))
            .Select(u => (User: u, At: file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(u))))
            .Where(found => found.At >= 0)];

    private static string Around(byte[] file, int at)
    {
        var from = Math.Max(0, at - 48);
        return new string([.. file.AsSpan(from, Math.Min(160, file.Length - from)).ToArray().Select(b => b is >= 32 and < 127 ? (char)b : '.')]);
    }
}

[CollectionDefinition(Name)]
public sealed class ServerProcesses
{
    public const string Name = "server processes";
}
