using System.Net;
using Orleans.Hosting.Kubernetes;

namespace Lethe.Silo.Hosting;

/// <summary>
/// The Kubernetes pod a silo runs in: its name, namespace and IP from the downward API (<c>POD_NAME</c>,
/// <c>POD_NAMESPACE</c>, <c>POD_IP</c>), and the cluster ids Orleans' Kubernetes hosting reads and writes onto the
/// pod's labels (<c>ORLEANS_SERVICE_ID</c>, <c>ORLEANS_CLUSTER_ID</c>), read from configuration (the environment).
/// </summary>
internal sealed record KubernetesPod(string Name, string Namespace, IPAddress Address, string? ServiceId, string? ClusterId)
{
    private static readonly string[] DownwardVariables =
    [
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
    ];

    /// <summary>The pod when all three downward-API variables are set; null when none is.</summary>
    /// <exception cref="ArgumentException">Some are set and others not, or <c>POD_IP</c> is not an IP address.</exception>
    public static KubernetesPod? Detect(IConfiguration configuration)
    {
        var values = DownwardVariables.Select(variable => configuration[variable]).ToArray();
        if (values.All(string.IsNullOrWhiteSpace)) return null;
        var missing = DownwardVariables.Where((_, i) => string.IsNullOrWhiteSpace(values[i])).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"{string.Join(", ", missing)} not set: a silo in a Kubernetes pod needs {string.Join(", ", DownwardVariables)} from the downward API.");
        if (!IPAddress.TryParse(values[2], out var address))
            throw new ArgumentException($"{KubernetesHostingOptions.PodIPEnvironmentVariable} '{values[2]}' is not an IP address.");
        return new KubernetesPod(values[0]!, values[1]!, address, Value(configuration, KubernetesHostingOptions.ServiceIdEnvironmentVariable), Value(configuration, KubernetesHostingOptions.ClusterIdEnvironmentVariable));
    }

    /// <summary>
    /// The silo's endpoints in this pod: advertised at the pod's IP, with the ids of <c>ORLEANS_SERVICE_ID</c> and
    /// <c>ORLEANS_CLUSTER_ID</c> where set (Orleans also reads them, and labels the pod with them). Values set in
    /// <c>Lethe:Silo</c> as well must agree: a silo whose ids differ from its pod's labels would be declared dead by the others.
    /// </summary>
    /// <exception cref="ArgumentException">A value in <paramref name="section"/> disagrees with the pod's.</exception>
    public SiloEndpointsOptions Endpoints(SiloEndpointsOptions configured, IConfigurationSection section)
    {
        if (configured.Advertised is { } advertised && !advertised.Equals(Address))
            throw Disagreement(KubernetesHostingOptions.PodIPEnvironmentVariable, Address.ToString(), section, nameof(SiloEndpointsOptions.AdvertisedAddress));
        if (configured.Name is { } name && name != Name)
            throw Disagreement(KubernetesHostingOptions.PodNameEnvironmentVariable, Name, section, nameof(SiloEndpointsOptions.Name));
        return new SiloEndpointsOptions
        {
            SiloPort = configured.SiloPort,
            GatewayPort = configured.GatewayPort,
            ServiceId = Agree(KubernetesHostingOptions.ServiceIdEnvironmentVariable, ServiceId, section, nameof(SiloEndpointsOptions.ServiceId), configured.ServiceId),
            ClusterId = Agree(KubernetesHostingOptions.ClusterIdEnvironmentVariable, ClusterId, section, nameof(SiloEndpointsOptions.ClusterId), configured.ClusterId),
            AdvertisedAddress = Address.ToString(),
            Name = Name,
        };
    }

    private static string Agree(string variable, string? fromPod, IConfigurationSection section, string key, string configured)
    {
        if (fromPod is null) return configured;
        if (section[key] is { } set && set != fromPod) throw Disagreement(variable, fromPod, section, key);
        return fromPod;
    }

    private static ArgumentException Disagreement(string variable, string fromPod, IConfigurationSection section, string key) =>
        new($"{variable} '{fromPod}' and {section.Path}:{key} '{section[key]}' disagree: a silo in a Kubernetes pod takes the pod's value; leave {section.Path}:{key} unset or make them equal.");

    private static string? Value(IConfiguration configuration, string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key];
}
