using Lethe.Client;
using Lethe.Grains;
using Lethe.Silo.Hosting;
using Lethe.Silo.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Lethe.Silo.Tests.Api;

/// <summary>The host registers <see cref="ILetheClient"/> over its own silo, for work run inside the silo's process (the demo).</summary>
[Collection(StoreSilos.Name)]
public sealed class InProcessClientTests : IDisposable
{
    private readonly StoreFolder folder = new("lethe-inprocess-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task The_hosts_own_client_reaches_its_silo_through_the_silos_grain_factory()
    {
        var ports = LoopbackPorts.Free(3);
        var (http, silo, gateway) = (ports[0], ports[1], ports[2]);
        await using var app = LetheHost.Build(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{http}",
            ["Lethe:Store:Path"] = folder.File("lethe.db"),
            ["Lethe:Silo:SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lethe:Silo:GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lethe:Data:Root"] = TestDataFolder.Path,
        });
        await app.StartAsync();
        try
        {
            var client = app.Services.GetRequiredService<ILetheClient>();

            Assert.Null(await client.GetDeletionAsync(DeletionId.ForUser(UserId.Parse("nobody"))));
            Assert.Equal(LetheErrorKind.NotFound, (await Assert.ThrowsAsync<LetheException>(() => client.GetModelAsync(ModelId.Parse("none")))).Kind);
            var spec = new ModelSpec("mnist", 1000, 0, 2, Placement.UserAffine, 1, 1, new OwnershipSpec(OwnershipKind.Zipf, 10, 1.5, null));
            var invalid = await Assert.ThrowsAsync<LetheException>(() => client.CreateModelAsync(ModelId.Parse("m"), spec));
            Assert.Equal((LetheErrorKind.Invalid, "shards"), (invalid.Kind, invalid.Field));
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
