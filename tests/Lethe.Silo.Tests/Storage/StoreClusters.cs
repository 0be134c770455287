using Lethe.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Lethe.Silo.Tests.Storage;

/// <summary>Real Orleans silos wired with <see cref="StoreSiloBuilderExtensions.UseLetheStore"/>.</summary>
public static class StoreClusters
{
    /// <summary>Reminders fire every second or two in tests (Orleans' floor is one minute by default).</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(2);

    /// <summary>Silos in process with Orleans' in-memory membership; storage and reminders on the store
    /// that <paramref name="store"/> configures. Same <paramref name="serviceId"/> = same stored grains.</summary>
    public static async Task<InProcessTestCluster> StartInProcessAsync(IReadOnlyDictionary<string, string?> store, string serviceId, short silos = 1)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(store));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseLetheStore(silo.Configuration);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static Dictionary<string, string?> Sqlite(string path) => new()
    {
        ["Lethe:Store:Provider"] = "sqlite",
        ["Lethe:Store:Path"] = path,
    };

    public static Dictionary<string, string?> Postgres(string connectionString, bool migrateOnStart = true) => new()
    {
        ["Lethe:Store:Provider"] = "postgres",
        ["Lethe:Store:ConnectionString"] = connectionString,
        ["Lethe:Store:MigrateOnStart"] = migrateOnStart ? "true" : "false",
    };

    /// <summary>Silos with real ADO.NET membership on PostgreSQL (<c>TestCluster</c> without its test
    /// membership); the client finds gateways through the same table.</summary>
    public static async Task<TestCluster> StartOnPostgresMembershipAsync(string connectionString, string serviceId, short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        foreach (var (key, value) in Postgres(connectionString)) builder.Properties[key] = value;
        builder.AddSiloBuilderConfigurator<PostgresSilo>();
        builder.AddClientBuilderConfigurator<PostgresClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseLetheStore(siloBuilder.Configuration);
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }

    private sealed class PostgresClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = configuration["Lethe:Store:ConnectionString"];
            });
    }
}
