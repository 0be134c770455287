using System.Net;
using System.Text.Json.Nodes;
using Lethe.Grains.Metrics;
using Lethe.Silo.Tests.Api;
using Lethe.Silo.Tests.Storage;
using Npgsql;
using Xunit.Abstractions;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>
/// Three real <c>lethe serve</c> silos over one PostgreSQL database form one cluster: a model created through one
/// silo, deletions sent to each in turn and completed. A real Prometheus scrapes the three with deploy/prometheus's
/// job and rules, and every dashboard and rule expression is answered; the latency ones with data.
/// </summary>
[Collection(StoreSilos.Name)]
public sealed class ThreeSiloPrometheusTests(ITestOutputHelper output) : IDisposable
{
    private const string Model = "watched";
    private const int Users = 8;
    private readonly string folder = Directory.CreateTempSubdirectory("lethe-three-silos-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Three_silos_over_postgresql_complete_deletions_and_prometheus_answers_every_dashboard_and_rule_expression()
    {
        var connection = await PostgresServer.CreateDatabaseAsync();
        var migrate = await LetheProcess.RunAsync(["db", "migrate", "--connection", connection]);
        Assert.True(migrate.ExitCode == 0, migrate.Error);

        var environment = new Dictionary<string, string>
        {
            ["Lethe__Store__Provider"] = "postgres",
            ["Lethe__Store__ConnectionString"] = connection,
            ["Lethe__Silo__AdvertisedAddress"] = "127.0.0.1",
        };
        var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
        {
            var workingFolder = Directory.CreateDirectory(Path.Combine(folder, $"silo-{i}")).FullName;
            return LetheServer.StartAsync(Path.Combine(workingFolder, "unused.db"), environment);
        }));
        try
        {
            await AssertOneClusterOnLoopbackAsync(connection);
            await using var prometheus = await PrometheusServer.StartAsync(silos.Select(s => s.BaseAddress));

            var created = await silos[0].Http.PostJsonAsync("/v1/models", ApiCalls.ExplicitModel(Model, Users, recordsPerUser: 40));
            Assert.True(created.Status == HttpStatusCode.Accepted, created.ToString());
            await silos[1].Http.WaitForModelReadyAsync(Model);

            // One deletion at a time, each sent to the next silo and followed on another, each seen by Prometheus before
            // the next: a histogram series is first scraped at its first observation, which rate() cannot count, so each
            // method needs two observations on one silo (four per method over three silos) for its quantiles.
            var latencies = new Dictionary<string, List<double>>();
            for (var user = 0; user < Users; user++)
            {
                var method = user % 2 == 0 ? "sisa" : "fisher-scrub";
                var accepted = await silos[user % 3].Http.PostJsonAsync("/v1/deletions", $$"""{"user_id":"user-{{user}}","method":"{{method}}"}""");
                Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
                var done = await silos[(user + 1) % 3].Http.PollAsync($"/v1/deletions/{(string)accepted.Json["id"]!}", r => (bool?)r.Json["is_finished"] == true, TimeSpan.FromMinutes(1));
                Assert.Equal("completed", (string?)done.Json["state"]);
                latencies.TryAdd(method, []);
                latencies[method].Add((double)done.Json["unlearn_latency_seconds"]!);
                await prometheus.UntilAsync($"sum(lethe_unlearn_duration_seconds_count{{job=\"{PrometheusFiles.Job}\"}})", r => r.Count == 1 && PrometheusServer.Value(r[0]!) == user + 1, TimeSpan.FromSeconds(30));
            }

            await prometheus.UntilAsync("method:lethe_unlearn_duration_seconds:p99_5m", r => r.Count == 2, TimeSpan.FromSeconds(30));
            Assert.Equal(3, await prometheus.ValueAsync($"count(up{{job=\"{PrometheusFiles.Job}\"}} == 1)"));
            Assert.Equal(3, await prometheus.ValueAsync($"max(orleans_consistent_ring_size{{job=\"{PrometheusFiles.Job}\"}})"));
            Assert.Equal(3, await prometheus.ValueAsync($"count(lethe_deletion_queue_depth{{job=\"{PrometheusFiles.Job}\"}})"));
            // A deletion reads as completed once its last step is set, and counts once that step is stored: a scrape can fall between.
            await prometheus.UntilAsync($"sum(lethe_deletions_total{{job=\"{PrometheusFiles.Job}\",outcome=\"completed\"}})", r => r.Count == 1 && PrometheusServer.Value(r[0]!) == Users, TimeSpan.FromSeconds(30));
            Assert.Equal(0, await prometheus.ValueAsync($"sum(lethe_deletions_total{{job=\"{PrometheusFiles.Job}\",outcome=\"failed\"}})"));

            foreach (var panel in PrometheusFiles.ReadPanels())
            {
                // Grafana's $__rate_interval for a 5-minute step: windows that span the whole run.
                var result = await prometheus.QueryAsync(panel.Expression.Replace("$__rate_interval", "5m", StringComparison.Ordinal));
                Assert.True(result.Count > 0, $"{panel.Title}: {panel.Expression} returned no data");
                if (panel.Expression.Contains("lethe_unlearn_duration_seconds", StringComparison.Ordinal)) AssertLatencies(panel.Expression, result, latencies);
            }

            foreach (var rule in PrometheusFiles.ReadRules())
            {
                var result = await prometheus.QueryAsync(rule.Expression);
                if (rule.IsAlert)
                    Assert.True(result.Count == 0, $"{rule.Name} would fire on a healthy cluster: {result.ToJsonString()}");
                else
                    AssertLatencies(rule.Expression, result, latencies);
                if (!rule.IsAlert) output.WriteLine($"{rule.Name}: {string.Join(", ", result.Select(r => $"{r!["metric"]!["method"]} {PrometheusServer.Value(r):0.###} s"))}");
            }

            output.WriteLine($"API unlearn latencies: {string.Join("; ", latencies.Select(l => $"{l.Key} {string.Join(", ", l.Value.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))} s"))}");

            var groups = (await prometheus.GetAsync("/api/v1/rules"))["data"]!["groups"]!.AsArray();
            var evaluated = groups.SelectMany(g => g!["rules"]!.AsArray()).ToList();
            Assert.Equal(PrometheusFiles.ReadRules().Count, evaluated.Count);
            Assert.All(evaluated, r => Assert.True((string?)r!["health"] == "ok", r!.ToJsonString()));
            Assert.Empty((await prometheus.GetAsync("/api/v1/alerts"))["data"]!["alerts"]!.AsArray());
        }
        finally
        {
            await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    // Three active members, each advertised on loopback.
    private static async Task AssertOneClusterOnLoopbackAsync(string connection)
    {
        await using var database = new NpgsqlConnection(connection);
        await database.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT address, status FROM orleans_membership", database);
        await using var reader = await query.ExecuteReaderAsync();
        var members = new List<(string Address, int Status)>();
        while (await reader.ReadAsync()) members.Add((reader.GetString(0), reader.GetInt32(1)));
        Assert.Equal([("127.0.0.1", 3), ("127.0.0.1", 3), ("127.0.0.1", 3)], members); // 3: Active
    }

    // A quantile per method, ordered, inside the buckets that hold the latencies the API reported.
    private static void AssertLatencies(string expression, JsonArray result, Dictionary<string, List<double>> latencies)
    {
        Assert.Equal(latencies.Keys.Order(StringComparer.Ordinal), result.Select(s => (string)s!["metric"]!["method"]!).Order(StringComparer.Ordinal));
        foreach (var sample in result)
        {
            var observed = latencies[(string)sample!["metric"]!["method"]!];
            var value = PrometheusServer.Value(sample);
            var lower = LetheMetrics.DurationBuckets.Where(b => b < observed.Min()).DefaultIfEmpty(0).Max();
            var upper = LetheMetrics.DurationBuckets.First(b => b >= observed.Max());
            Assert.True(double.IsFinite(value) && value >= lower && value <= upper, $"{expression}: {sample.ToJsonString()} outside [{lower}, {upper}] (API latencies {string.Join(", ", observed)})");
        }
    }
}
