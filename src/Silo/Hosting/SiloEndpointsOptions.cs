namespace Lethe.Silo.Hosting;

/// <summary>The silo's cluster ports, bound from <c>Lethe:Silo</c> (several silos on one machine need distinct ones).</summary>
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
}
