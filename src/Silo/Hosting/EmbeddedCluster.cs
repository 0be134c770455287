using Lethe.Client;

namespace Lethe.Silo.Hosting;

/// <summary>
/// A silo of the embedded default started inside this process (for <c>demo</c> and <c>bench cluster</c>),
/// on a store in a temporary folder and ports of its own (so it runs beside a <c>lethe serve</c>), its
/// HTTP API on a free loopback port and the SDK over the same silo; stopped and its folder removed on dispose.
/// </summary>
internal sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly WebApplication host;
    private readonly string folder;

    private EmbeddedCluster(WebApplication host, string folder)
    {
        this.host = host;
        this.folder = folder;
        Client = host.Services.GetRequiredService<ILetheClient>();
    }

    public ILetheClient Client { get; }

    /// <summary>Where the HTTP API listens (a loopback address).</summary>
    public Uri HttpAddress => new(host.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public static async Task<EmbeddedCluster> StartAsync(string? dataRoot, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("lethe-demo-").FullName;
        var ports = LoopbackPorts.Free(2);
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Lethe:Store:Path"] = Path.Combine(folder, "lethe.db"),
            ["Lethe:Data:Root"] = dataRoot,
            ["Lethe:Silo:SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lethe:Silo:GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Error",
            ["Logging:LogLevel:Orleans"] = "Error",
        };
        var host = LetheHost.Build(settings);
        await host.StartAsync(cancellationToken);
        return new EmbeddedCluster(host, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        await host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
