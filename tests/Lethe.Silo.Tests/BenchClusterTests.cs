using System.Text.Json;
using Lethe.Silo.Tests.Storage;

namespace Lethe.Silo.Tests;

/// <summary><c>lethe bench cluster</c> run as a user runs it, on small models: the embedded default, and three
/// <c>lethe serve</c> silos over PostgreSQL beside one.</summary>
[Collection(StoreSilos.Name)]
public class BenchClusterTests
{
    private static readonly string[] Small = ["--data", TestDataFolder.Path, "--records", "3000", "--users", "3", "--burst", "6", "--owners", "30", "--json"];

    [Fact]
    public async Task On_the_embedded_default_every_deletion_is_served_and_every_shard_is_exact()
    {
        var result = await LetheProcess.RunAsync(["bench", "cluster", .. Small], timeout: TimeSpan.FromMinutes(5));

        var root = AssertReport(result, silos: 1, store: "sqlite");
        Assert.Equal(JsonValueKind.Null, root.GetProperty("sequential").GetProperty("single_silo_p50_seconds").ValueKind);
        Assert.Equal(4, root.GetProperty("bar").GetArrayLength());
    }

    [Fact]
    public async Task Three_silos_over_postgresql_are_measured_beside_one_silo_in_the_same_run()
    {
        var connection = await PostgresServer.CreateDatabaseAsync();
        var result = await LetheProcess.RunAsync(["bench", "cluster", "--silos", "3", "--connection", connection, .. Small], timeout: TimeSpan.FromMinutes(8));

        var root = AssertReport(result, silos: 3, store: "postgres");
        var sequential = root.GetProperty("sequential");
        var single = sequential.GetProperty("single_silo_p50_seconds").GetDouble();
        Assert.True(single > 0, sequential.ToString());
        var bar = root.GetProperty("bar").EnumerateArray().Last();
        Assert.Contains("one silo", bar.GetProperty("figure").GetString(), StringComparison.Ordinal);
        Assert.Equal(sequential.GetProperty("p50_seconds").GetDouble() / single, bar.GetProperty("value").GetDouble(), 9);
        Assert.Contains("one silo over PostgreSQL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_silos_without_a_connection_is_one_line()
    {
        var result = await LetheProcess.RunAsync(["bench", "cluster", "--silos", "3", "--data", TestDataFolder.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("lethe: --silos 3 needs --connection: the silos cluster through PostgreSQL.", result.Error.Trim());
    }

    private static JsonElement AssertReport(LetheProcess.Result result, int silos, string store)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        var root = JsonDocument.Parse(result.Output).RootElement.Clone();
        Assert.Equal(silos, root.GetProperty("silos").GetInt32());
        Assert.Equal(store, root.GetProperty("store").GetString());
        var sequential = root.GetProperty("sequential");
        Assert.Equal(3, sequential.GetProperty("latency_seconds").GetArrayLength());
        Assert.True(sequential.GetProperty("exact").GetBoolean());
        Assert.True(sequential.GetProperty("p50_seconds").GetDouble() > 0);
        var burst = root.GetProperty("burst");
        Assert.Equal(6, burst.GetProperty("users").GetInt32());
        Assert.True(burst.GetProperty("exact").GetBoolean(), burst.ToString());
        Assert.InRange(burst.GetProperty("replays").GetInt64(), 1, 6 * 8);
        return root;
    }
}
