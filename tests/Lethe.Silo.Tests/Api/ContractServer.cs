using Microsoft.Data.Sqlite;

namespace Lethe.Silo.Tests.Api;

/// <summary>One <c>lethe serve</c> with an API key configured and model <c>m1</c> trained (3,000 MNIST records,
/// 3 shards of 3 slices, 2 epochs per stage; users <c>user-0</c>..<c>user-29</c> own 20 records each).</summary>
public sealed class ContractServer : IAsyncLifetime
{
    public const string Key = "contract-test-key";
    public const string Model = "m1";
    public static readonly string ModelBody = ApiCalls.ExplicitModel(Model, users: 30, recordsPerUser: 20);

    private readonly string folder = Directory.CreateTempSubdirectory("lethe-api-").FullName;

    public LetheServer Server { get; private set; } = null!;

    public HttpClient Http => Server.Http;

    public async Task InitializeAsync()
    {
        Server = await LetheServer.StartAsync(Path.Combine(folder, "lethe.db"), new Dictionary<string, string> { ["LETHE_API_KEYS"] = "another-key, " + Key });
        var created = await Http.PostJsonAsync("/v1/models", ModelBody, Key);
        Assert.True(created.Status == System.Net.HttpStatusCode.Accepted, created.ToString());
        await Http.WaitForModelReadyAsync(Model);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
