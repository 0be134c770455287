using Lethe.Learning.Data;
using Lethe.Silo.Hosting;

namespace Lethe.Silo.Bench.Cluster;

/// <summary>Where <c>bench cluster</c> sends its deletions: the embedded default in this process, or <c>lethe serve</c>
/// silos over PostgreSQL (several of them beside one, measured in the same run).</summary>
internal sealed class ClusterRun(Dataset train, string? dataRoot, long seed, int? records, int threads, Action<string> log)
{
    public async Task<ClusterReport> Embedded(int users, int burst, int owners, CancellationToken cancellationToken)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(dataRoot, cancellationToken);
        using var http = Client(cluster.HttpAddress);
        return await Benchmark([http]).Run(users, burst, owners, null, cancellationToken);
    }

    public async Task<ClusterReport> OverPostgres(int silos, string connectionString, int users, int burst, int owners, CancellationToken cancellationToken)
    {
        double? single = null;
        if (silos > 1)
        {
            log("one silo over PostgreSQL: the same deletions, one at a time");
            await using var one = await ServeProcesses.StartAsync(1, connectionString, dataRoot, threads, cancellationToken);
            using var http = Client(one.Addresses[0]);
            single = (await Benchmark([http]).Sequential(users, cancellationToken)).P50Seconds;
        }

        log($"{silos} silos over PostgreSQL");
        await using var cluster = await ServeProcesses.StartAsync(silos, connectionString, dataRoot, threads, cancellationToken);
        var clients = cluster.Addresses.Select(Client).ToList();
        try
        {
            var report = await Benchmark(clients).Run(users, burst, owners, single, cancellationToken);
            return report with { Silos = silos, Store = "postgres" };
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private ClusterBenchmark Benchmark(IReadOnlyList<HttpClient> silos) => new(train, new ClusterApi(silos), seed, records, log);

    private static HttpClient Client(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
}
