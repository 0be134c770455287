using System.Net;
using System.Text;
using Lethe.Silo.Tests.Storage;

namespace Lethe.Silo.Tests.Api;

/// <summary>A model whose owners were listed by the caller: once a deleted user's deletion completes, their id is nowhere
/// in the store file (not in the model's spec, not in freed space), while the ids of the users kept are.</summary>
[Collection(StoreSilos.Name)]
public sealed class PurgedOwnerIdsTests : IDisposable
{
    private readonly StoreFolder folder = new("lethe-owners-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_deleted_owner_of_an_explicit_model_leaves_no_trace_of_their_id_in_the_file()
    {
        await using var server = await LetheServer.StartAsync(folder.File("lethe.db"));
        Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostJsonAsync("/v1/models", ApiCalls.ExplicitModel("listed", 6, recordsPerUser: 40, prefix: "owner-"))).Status);
        await server.Http.WaitForModelReadyAsync("listed");
        foreach (var user in new[] { "owner-3", "owner-4" })
            Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostJsonAsync("/v1/deletions", $$"""{"user_id":"{{user}}"}""")).Status);
        var finished = await server.Http.WaitForDeletionsFinishedAsync(TimeSpan.FromMinutes(2));
        Assert.All(finished, d => Assert.Equal("completed", (string?)d!["state"]));

        // The file is rewritten once purges pause (SQLite leaves moved rows' old bytes in free space until then).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Found(server.Store, "owner-3", "owner-4").Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(500);
        Assert.Empty(Found(server.Store, "owner-3", "owner-4"));
        Assert.Equal(["owner-0", "owner-5"], Found(server.Store, "owner-0", "owner-5"));
    }

    private static List<string> Found(string store, params string[] users)
    {
        var file = File.ReadAllBytes(store);
        return [.. users.Where(user => file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(user)) >= 0)];
    }
}
