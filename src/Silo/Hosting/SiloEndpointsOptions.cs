using System.Net;

namespace Lethe.Silo.Hosting;

/// <summary>The silo's cluster ports, ids and address, bound from <c>Lethe:Silo</c> (several silos on one machine need distinct ports).</summary>
internal sealed class SiloEndpointsOptions
{
    public const string SectionName = "Lethe:Silo";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster id. Default <c>lethe</c>.</summary>
    public string ClusterId { get; set; } = "lethe";

    /// <summary>The service id (stable across deployments). Default <c>lethe</c>.</summary>
    public string ServiceId { get; set; } = "lethe";

    /// <summary>The silo's name, which a model's status gives for each shard. Default: Orleans' (a name of the
    /// machine's with a number); in a Kubernetes pod, the pod's name.</summary>
    public string? Name { get; set; }

    /// <summary>The IP address other silos and clients reach this silo at, which it also listens on. Default: Orleans'
    /// choice (a non-loopback address of the machine); in a Kubernetes pod, the pod's IP.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary><see cref="AdvertisedAddress"/> parsed (null when not set).</summary>
    public IPAddress? Advertised => AdvertisedAddress is { } text ? IPAddress.Parse(text) : null;

    /// <summary>Binds <c>Lethe:Silo</c> from <paramref name="section"/> and checks the address.</summary>
    /// <exception cref="ArgumentException">The advertised address is not an IP address.</exception>
    public static SiloEndpointsOptions Read(IConfigurationSection section)
    {
        var options = section.Get<SiloEndpointsOptions>() ?? new SiloEndpointsOptions();
        if (options.AdvertisedAddress is { } text && !IPAddress.TryParse(text, out _))
            throw new ArgumentException($"{SectionName}:AdvertisedAddress '{text}' is not an IP address.");
        return options;
    }
}
