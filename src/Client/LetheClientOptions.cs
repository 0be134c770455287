namespace Lethe.Client;

/// <summary>How the client reaches the cluster.</summary>
public enum LetheClusterConnection
{
    /// <summary>Through the gateway of a silo on this machine (<see cref="LetheClientOptions.GatewayPort"/>): the embedded default, <c>lethe serve</c>.</summary>
    LocalhostGateway,

    /// <summary>Through the silo hosted in this same process (its grain factory); no Orleans client is added.</summary>
    SiloInProcess,
}

/// <summary>The client's settings, given to <see cref="LetheClientExtensions.AddLetheClient"/>.</summary>
public sealed class LetheClientOptions
{
    /// <summary>How to reach the cluster. Default <see cref="LetheClusterConnection.LocalhostGateway"/>.</summary>
    public LetheClusterConnection Connection { get; set; } = LetheClusterConnection.LocalhostGateway;

    /// <summary>The silo's gateway port (<c>Lethe:Silo:GatewayPort</c> on the silo). Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster's service id. Default <c>lethe</c>, as the silo's.</summary>
    public string ServiceId { get; set; } = "lethe";

    /// <summary>The cluster id. Default <c>lethe</c>, as the silo's.</summary>
    public string ClusterId { get; set; } = "lethe";

    /// <summary>How long connecting at start keeps retrying while no gateway answers. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest pause between two polls of <see cref="ILetheClient.WaitForDeletionAsync"/>. Default 2 s.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Connection)) throw new ArgumentException($"Connection: {Connection} is not a connection.", nameof(Connection));
        if (GatewayPort is < 1 or > 65535) throw new ArgumentException($"GatewayPort: {GatewayPort} is not a port (1..65535).", nameof(GatewayPort));
        if (string.IsNullOrWhiteSpace(ServiceId)) throw new ArgumentException("ServiceId is required.", nameof(ServiceId));
        if (string.IsNullOrWhiteSpace(ClusterId)) throw new ArgumentException("ClusterId is required.", nameof(ClusterId));
        if (ConnectTimeout < TimeSpan.Zero) throw new ArgumentException("ConnectTimeout cannot be negative.", nameof(ConnectTimeout));
        if (MaxPollInterval <= TimeSpan.Zero) throw new ArgumentException("MaxPollInterval must be positive.", nameof(MaxPollInterval));
    }
}
