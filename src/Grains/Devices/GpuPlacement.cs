using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Lethe.Grains.Devices;

/// <summary>The silo metadata that says which device a silo computes on (<c>cpu</c> or <c>cuda</c>).</summary>
public static class SiloDevice
{
    /// <summary>The metadata key: <c>Orleans:Metadata:lethe.device</c> in configuration.</summary>
    public const string MetadataKey = "lethe.device";

    /// <summary>The value of silos with a CUDA GPU.</summary>
    public const string Cuda = "cuda";
}

/// <summary>
/// Puts a grain on the silos whose <see cref="SiloDevice.MetadataKey"/> is <c>cuda</c> when any is active,
/// and on any silo otherwise. (Orleans' own metadata filters compare candidates with the calling silo's
/// values, not with a fixed one.)
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PreferGpuSilosAttribute() : PlacementFilterAttribute(new PreferGpuSilosStrategy());

/// <summary>The strategy <see cref="PreferGpuSilosAttribute"/> stands for; it carries no settings.</summary>
public sealed class PreferGpuSilosStrategy : PlacementFilterStrategy
{
    /// <summary>Creates the strategy; it runs before other filters.</summary>
    public PreferGpuSilosStrategy()
        : base(order: 0)
    {
    }
}

/// <summary>Keeps the GPU silos among the candidates when there are any.</summary>
internal sealed class PreferGpuSilosDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToList();
        var gpus = candidates.Where(silo => metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloDevice.MetadataKey, out var device) && device == SiloDevice.Cuda).ToList();
        return gpus.Count > 0 ? gpus : candidates;
    }
}
