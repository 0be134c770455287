using System.Net;
using Lethe.Grains;
using Lethe.Silo.Tests.Storage;

namespace Lethe.Silo.Tests.Api;

/// <summary>A burst of deletions over HTTP, then the silo killed: every request that was answered 202 is still there.</summary>
[Collection(StoreSilos.Name)]
public sealed class DeletionDurabilityTests : IDisposable
{
    private const int Users = 200;
    private readonly StoreFolder folder = new("lethe-burst-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Two_hundred_concurrent_deletions_are_all_durable_across_a_killed_silo()
    {
        var server = await LetheServer.StartAsync(folder.File("lethe.db"));
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, (await server.Http.PostJsonAsync("/v1/models", ApiCalls.ExplicitModel("burst", Users, recordsPerUser: 10, prefix: "u-"))).Status);
            await server.Http.WaitForModelReadyAsync("burst");

            var answers = await Task.WhenAll(Enumerable.Range(0, Users).Select(u => server.Http.PostJsonAsync("/v1/deletions", $$"""{"user_id":"u-{{u}}"}""")));
            Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString()));
            var expected = Enumerable.Range(0, Users).Select(u => DeletionId.ForUser(UserId.Parse($"u-{u}")).Value).Order().ToList();
            Assert.Equal(expected, answers.Select(a => (string)a.Json["id"]!).Order());

            server = await server.KillAndRestartAsync();

            var listed = (await server.Http.GetJsonAsync("/v1/deletions?model=burst&limit=1000")).Items;
            Assert.Equal(expected, listed.Select(d => (string)d!["id"]!).Order());
            Assert.All(listed, d => Assert.Equal(10, (int)d!["records"]!));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
