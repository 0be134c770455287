using Lethe.Grains.Devices;

namespace Lethe.Grains.Tests;

[Collection(GrainSilos.Name)]
public sealed class GpuPlacementTests
{
    private static readonly ModelSpec Spec = new("mnist", 1800, 9, 2, Placement.Uniform, 5, 1, new OwnershipSpec(OwnershipKind.Zipf, 10, 1.5, null));

    [Fact]
    public async Task Every_shard_goes_to_the_one_silo_marked_cuda()
    {
        var cuda = new Dictionary<string, IReadOnlyDictionary<string, string?>>
        {
            ["Silo_2"] = new Dictionary<string, string?> { [$"Orleans:Metadata:{SiloDevice.MetadataKey}"] = SiloDevice.Cuda },
        };
        await using var silos = await GrainCluster.StartAsync(3, cuda);

        var placed = await ShardSilos(silos, "gpu");

        Assert.All(placed, silo => Assert.Equal("Silo_2", silo));
    }

    [Fact]
    public async Task Without_a_cuda_silo_shards_spread_over_the_silos()
    {
        await using var silos = await GrainCluster.StartAsync(3);

        var placed = await ShardSilos(silos, "cpu");

        Assert.True(placed.Distinct().Count() > 1, $"every shard on {placed[0]}");
    }

    private static async Task<string[]> ShardSilos(GrainCluster silos, string id)
    {
        var model = silos.Grains.GetGrain<ICoordinatorGrain>(id);
        await model.Create(Spec);
        var ready = await GrainCluster.Until(model.GetStatus, s => s.State == ModelState.Ready, TimeSpan.FromMinutes(1), "model ready");
        return [.. ready.Shards.Select(s => s.Silo)];
    }
}
