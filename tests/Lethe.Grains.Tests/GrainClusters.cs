using Lethe.Silo.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Lethe.Grains.Tests;

/// <summary>Grain tests run one at a time: each starts real silos, and two cores are all there is.</summary>
[CollectionDefinition(Name)]
public sealed class GrainSilos
{
    public const string Name = "grain silos";
}

/// <summary>
/// Real silos in process (Orleans' in-memory membership), built like a Lethe silo is: the store on a
/// real SQLite file in a temporary folder, and the grains' services.
/// </summary>
public sealed class GrainCluster : IAsyncDisposable
{
    private readonly string folder;

    private GrainCluster(InProcessTestCluster cluster, string folder)
    {
        Cluster = cluster;
        this.folder = folder;
    }

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The silos' store file.</summary>
    public string StoreFile => Path.Combine(folder, "lethe.db");

    public static async Task<GrainCluster> StartAsync(
        short silos, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>? perSilo = null, IReadOnlyDictionary<string, string?>? everySilo = null)
    {
        var folder = Directory.CreateTempSubdirectory("lethe-grains-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Lethe:Store:Provider"] = "sqlite",
            ["Lethe:Store:Path"] = Path.Combine(folder, "lethe.db"),
            ["Lethe:Data:Root"] = DataFolder(),
        };
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = "grains-" + Guid.NewGuid().ToString("N");
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((options, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings);
            if (everySilo is not null) host.Configuration.AddInMemoryCollection(everySilo);
            if (perSilo?.GetValueOrDefault(options.SiloName) is { } own) host.Configuration.AddInMemoryCollection(own);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddLetheSilo(silo.Configuration);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GrainCluster(cluster, folder);
    }

    /// <summary>The silo whose <c>ILocalSiloDetails.Name</c> is <paramref name="name"/>.</summary>
    public InProcessSiloHandle Silo(string name) => Cluster.Silos.Single(s => s.Name == name);

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not reached in {timeout}; last seen {value}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    public static string DataFolder()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LETHE_DATA");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cluster.sln"))) directory = directory.Parent;
        return Path.Combine(directory!.FullName, "..", "shared", "data");
    }
}
