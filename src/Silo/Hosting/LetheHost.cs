using Lethe.Client;
using Lethe.Grains.Devices;
using Lethe.Grains.Hosting;
using Lethe.Grains.Metrics;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Lethe.Learning.Blas;
using Lethe.Learning.Compute;
using Lethe.Silo.Api;
using Lethe.Silo.Storage;
using Orleans.Configuration;

namespace Lethe.Silo.Hosting;

/// <summary>The Lethe host: an Orleans silo inside an ASP.NET Core app serving the HTTP API, health and metrics.</summary>
internal static partial class LetheHost
{
    /// <summary>How long the host waits for the silo and the HTTP server to stop gracefully. A Kubernetes pod's
    /// <c>terminationGracePeriodSeconds</c> (deploy/k8s) must exceed it.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    // Defaults under every other configuration source: the frameworks' information logs are chatter for an operator.
    private static readonly Dictionary<string, string?> QuietFrameworks = new()
    {
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>Builds the host from <paramref name="configuration"/> (the caller's settings over appsettings, environment and defaults).</summary>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> settings, string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [] });
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = QuietFrameworks });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        // Telemetry first: its hosted services start before the silo's, so nothing the silo records at start is lost.
        builder.Services.AddLetheTelemetry();
        builder.UseOrleans(silo => silo.UseLetheClustering(builder.Configuration).AddLetheSilo(builder.Configuration));
        builder.Services.AddLetheApi(builder.Configuration);
        builder.Services.AddLetheClient(client => client.Connection = LetheClusterConnection.SiloInProcess);

        var app = builder.Build();
        app.MapLetheHealth();
        app.MapPrometheusScrapingEndpoint();
        app.MapLetheApi();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            LogKernel(app.Logger, OpenBlasLibrary.Instance.Kernel);
            // Lethe's instruments on every silo from the start (not only once a grain needs them): each silo exports its queue depth and zeroed counters.
            app.Services.GetRequiredService<LetheMetrics>();
        });
        return app;
    }

    /// <summary>What a Lethe silo runs: its compute backend, its store (grain state, reminders, audit log) and the grains' services.</summary>
    public static ISiloBuilder AddLetheSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        // Lethe:Compute (Backend = blas | torch, Device = cpu | cuda | auto), created here so a backend that cannot run stops the start.
        var backend = ComputeBackends.Create(configuration.GetSection(ComputeOptions.Section).Get<ComputeOptions>() ?? new ComputeOptions());
        silo.Services.AddSingleton(backend);

        // Orleans:Metadata, with lethe.device (the placement of shards on GPU silos reads it) the backend's device unless configured.
        var metadata = configuration.GetSection("Orleans:Metadata").Get<Dictionary<string, string>>() ?? [];
        metadata.TryAdd(SiloDevice.MetadataKey, backend.Device);
        silo.UseSiloMetadata(metadata);
        return silo.UseLetheStore(configuration).AddLetheGrains(configuration);
    }

    /// <summary>
    /// How the silo finds its cluster: its ports, ids and address (<c>Lethe:Silo</c>); localhost clustering on the
    /// embedded SQLite default; in a Kubernetes pod, Orleans' Kubernetes hosting with the pod's IP and ids.
    /// </summary>
    /// <exception cref="ArgumentException">The settings cannot work (named in the message).</exception>
    public static ISiloBuilder UseLetheClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection(SiloEndpointsOptions.SectionName);
        var endpoints = SiloEndpointsOptions.Read(section);
        var provider = StoreSiloBuilderExtensions.Read(configuration.GetSection(StoreOptions.SectionName)).Provider;
        if (KubernetesPod.Detect(configuration) is { } pod)
        {
            if (provider != StoreProvider.Postgres)
                throw new ArgumentException($"A silo in a Kubernetes pod ({pod.Namespace}/{pod.Name}) clusters through PostgreSQL: set {StoreOptions.SectionName}:Provider to postgres.");
            endpoints = pod.Endpoints(endpoints, section);
            silo.UseLetheKubernetesHosting();
        }

        if (provider == StoreProvider.Sqlite)
            silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: endpoints.ServiceId, clusterId: endpoints.ClusterId);
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = endpoints.SiloPort;
            o.GatewayPort = endpoints.GatewayPort;
            if (endpoints.Advertised is { } address) o.AdvertisedIPAddress = address;
        });
        if (endpoints.Name is { } name) silo.Configure<SiloOptions>(o => o.SiloName = name);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = endpoints.ClusterId;
            o.ServiceId = endpoints.ServiceId;
        });
        return silo;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenBLAS kernel: {Kernel}")]
    private static partial void LogKernel(ILogger logger, BlasKernel kernel);
}
