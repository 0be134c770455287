using System.Text.Json.Nodes;
using Lethe.Grains;
using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Learning.Data;
using Lethe.Learning.Sharding;

namespace Lethe.Cluster.Tests;

/// <summary>A zipf-owned SISA model the process tests create over HTTP, with the checks each makes once its deletions are done.</summary>
public sealed class ProcessModel(string id, ModelSpec spec)
{
    private readonly ModelLayout layout = ModelLayout.Build(spec, 60_000);

    public string Id => id;

    /// <summary>Each user's records by shard.</summary>
    public Dictionary<string, Dictionary<int, int[]>> Users { get; } = ModelLayout.Build(spec, 60_000).Users().ToDictionary(u => u.User, u => u.RecordsByShard);

    public string Path => $"/v1/models/{id}";

    public object Request() => new
    {
        id, dataset = spec.Dataset, records = spec.Records, shards = spec.Shards, slices = spec.Slices, seed = spec.Seed,
        epochs_per_stage = spec.EpochsPerStage, ownership = new { kind = "zipf", users = spec.Ownership.Users, exponent = spec.Ownership.Exponent },
    };

    /// <summary>The heaviest users first: their replays start from early slices and run long.</summary>
    public string[] Heaviest(int count) =>
        [.. Users.OrderByDescending(u => u.Value.Values.Sum(r => r.Length)).ThenBy(u => u.Key, StringComparer.Ordinal).Take(count).Select(u => u.Key)];

    /// <summary>The records of <paramref name="users"/>.</summary>
    public HashSet<int> RecordsOf(IEnumerable<string> users) => users.SelectMany(u => Users[u].Values.SelectMany(r => r)).ToHashSet();

    /// <summary>Every shard serves the very bytes of training it from scratch without <paramref name="deleted"/>, and holds the records that remain.</summary>
    public async Task AssertServesFromScratchWithoutAsync(LetheServer server, IEnumerable<string> deleted)
    {
        var forgotten = RecordsOf(deleted);
        var model = await server.GetAsync(Path);
        var data = ImageDatasets.Load(spec.Dataset, Split.Train, LetheServer.DataFolder());
        foreach (var shard in model["shards"]!.AsArray())
        {
            var index = (int)shard!["index"]!;
            var slices = layout.Slices(index, forgotten);
            var fromScratch = Shard.Train(data, index, slices, ModelRecipe.ShardingOptions(spec), spec.Seed);
            Assert.Equal(slices.Sum(s => s.Length), (int)shard["records"]!);
            Assert.Equal(fromScratch.WeightHash(), (string)shard["weight_hash"]!);
        }
    }

    /// <summary>Each deletion went through its lifecycle once: one audit entry of each step, in order, and an intact chain.</summary>
    public static async Task AssertEachStepAuditedOnceAsync(LetheServer server, IEnumerable<string> deletionIds)
    {
        var audit = new List<JsonNode?>();
        while (true)
        {
            var page = (await server.GetAsync($"/v1/audit?from={audit.Count + 1}&limit=1000")).AsArray();
            audit.AddRange(page.Select(e => e?.DeepClone()));
            if (page.Count < 1000) break;
        }

        foreach (var deletion in deletionIds)
        {
            var kinds = audit.Where(e => (string?)e!["deletion_id"] == deletion).Select(e => (string)e!["kind"]!).Where(k => k.StartsWith("deletion.", StringComparison.Ordinal)).ToList();
            Assert.True(
                kinds.SequenceEqual(["deletion.accepted", "deletion.forgetting", "deletion.models-updated", "deletion.purged", "deletion.completed"]),
                $"{deletion}: {string.Join(", ", kinds)}");
        }

        var verification = await server.GetAsync("/v1/audit/verify");
        Assert.True((bool)verification["is_intact"]!, verification.ToJsonString());
    }

    /// <summary>Waits for each deletion to finish and asserts it completed exactly.</summary>
    public static async Task AssertCompletedExactlyAsync(LetheServer server, IEnumerable<string> deletionIds, TimeSpan timeout)
    {
        foreach (var deletion in deletionIds)
        {
            var done = await server.UntilAsync($"/v1/deletions/{deletion}", d => (bool)d["is_finished"]!, timeout);
            Assert.True((string)done["state"]! == "completed" && (bool)done["exact"]!, done.ToJsonString());
        }
    }
}
