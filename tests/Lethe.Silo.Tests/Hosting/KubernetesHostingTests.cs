using System.Net;
using Lethe.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Lethe.Silo.Tests.Hosting;

/// <summary>The host in a Kubernetes pod (POD_NAME, POD_NAMESPACE, POD_IP set): Orleans' Kubernetes hosting, the pod's IP and ids.</summary>
public sealed class KubernetesHostingTests
{
    private static readonly Dictionary<string, string?> Pod = new()
    {
        ["POD_NAME"] = "lethe-silo-7d9f-abcde",
        ["POD_NAMESPACE"] = "lethe",
        ["POD_IP"] = "10.244.1.17",
        ["ORLEANS_SERVICE_ID"] = "lethe-prod",
        ["ORLEANS_CLUSTER_ID"] = "lethe-blue",
        ["Lethe:Store:Provider"] = "postgres",
        ["Lethe:Store:ConnectionString"] = "Host=127.0.0.1;Database=unused",
    };

    [Fact]
    public async Task In_a_pod_the_silo_advertises_the_pod_ip_takes_the_pods_ids_and_uses_kubernetes_hosting()
    {
        await using var app = LetheHost.Build(Pod);
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.244.1.17"), endpoints.AdvertisedIPAddress);
        Assert.Equal((11111, 30000), (endpoints.SiloPort, endpoints.GatewayPort));
        // Orleans' Kubernetes hosting listens on every address of the pod.
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("lethe-prod", "lethe-blue"), (cluster.ServiceId, cluster.ClusterId));

        // Lethe's choice among Orleans' hosting options: the pods of silos declared dead are deleted (the Role grants delete).
        var hosting = new KubernetesHostingOptions();
        foreach (var configure in app.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>()) configure.Configure(hosting);
        Assert.True(hosting.DeleteDefunctSiloPods);
        // Orleans reads the pod itself from the process environment (this test's has none) and refuses to start without it.
        var missing = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<KubernetesHostingOptions>>().Value);
        Assert.Contains("POD_NAMESPACE", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lethe_silo_settings_that_agree_with_the_pod_are_accepted()
    {
        var settings = new Dictionary<string, string?>(Pod)
        {
            ["Lethe:Silo:ServiceId"] = "lethe-prod",
            ["Lethe:Silo:ClusterId"] = "lethe-blue",
            ["Lethe:Silo:AdvertisedAddress"] = "10.244.1.17",
            ["Lethe:Silo:SiloPort"] = "11112",
        };
        await using var app = LetheHost.Build(settings);
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("lethe-prod", "lethe-blue"), (cluster.ServiceId, cluster.ClusterId));
        Assert.Equal(11112, app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.SiloPort);
    }

    [Fact]
    public async Task Without_orleans_ids_in_the_pod_the_lethe_silo_ids_are_the_clusters()
    {
        var settings = new Dictionary<string, string?>(Pod) { ["ORLEANS_SERVICE_ID"] = null, ["ORLEANS_CLUSTER_ID"] = null, ["Lethe:Silo:ClusterId"] = "green" };
        await using var app = LetheHost.Build(settings);
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("lethe", "green"), (cluster.ServiceId, cluster.ClusterId));
    }

    [Fact]
    public async Task Outside_a_pod_the_silo_advertises_the_configured_address_without_kubernetes_hosting()
    {
        var settings = new Dictionary<string, string?> { ["Lethe:Silo:AdvertisedAddress"] = "127.0.0.1", ["Lethe:Store:Provider"] = "postgres", ["Lethe:Store:ConnectionString"] = "Host=127.0.0.1;Database=unused" };
        await using var app = LetheHost.Build(settings);
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Null(endpoints.SiloListeningEndpoint); // listens on the advertised address, loopback here
        Assert.Empty(app.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>());
    }

    [Theory]
    [InlineData("ORLEANS_CLUSTER_ID", "Lethe:Silo:ClusterId", "lethe-green", "ORLEANS_CLUSTER_ID 'lethe-blue' and Lethe:Silo:ClusterId 'lethe-green' disagree")]
    [InlineData("ORLEANS_SERVICE_ID", "Lethe:Silo:ServiceId", "other", "ORLEANS_SERVICE_ID 'lethe-prod' and Lethe:Silo:ServiceId 'other' disagree")]
    [InlineData("POD_IP", "Lethe:Silo:AdvertisedAddress", "10.0.0.9", "POD_IP '10.244.1.17' and Lethe:Silo:AdvertisedAddress '10.0.0.9' disagree")]
    [InlineData("POD_NAME", "Lethe:Silo:Name", "silo-a", "POD_NAME 'lethe-silo-7d9f-abcde' and Lethe:Silo:Name 'silo-a' disagree")]
    [InlineData("POD_IP", "POD_IP", "not-an-ip", "POD_IP 'not-an-ip' is not an IP address")]
    [InlineData("POD_NAMESPACE", "POD_NAMESPACE", "", "POD_NAMESPACE not set: a silo in a Kubernetes pod needs POD_NAME, POD_NAMESPACE, POD_IP")]
    [InlineData("Lethe:Store:Provider", "Lethe:Store:Provider", "sqlite", "A silo in a Kubernetes pod (lethe/lethe-silo-7d9f-abcde) clusters through PostgreSQL")]
    public void A_pod_setting_that_cannot_work_is_refused_by_name(string about, string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>(Pod) { [key] = value };
        var error = Assert.Throws<ArgumentException>(() => LetheHost.Build(settings));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(about, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_in_a_pod_without_postgresql_says_so_in_one_line()
    {
        var environment = new Dictionary<string, string> { ["POD_NAME"] = "lethe-0", ["POD_NAMESPACE"] = "lethe", ["POD_IP"] = "10.244.1.17" };
        var result = await LetheProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:1"], environment);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("lethe: A silo in a Kubernetes pod (lethe/lethe-0) clusters through PostgreSQL: set Lethe:Store:Provider to postgres.", line);
    }
}
