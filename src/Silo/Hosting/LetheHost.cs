using Lethe.Grains.Hosting;
using Lethe.Learning.Blas;
using Lethe.Silo.Api;
using Lethe.Silo.Storage;
using Orleans.Configuration;

namespace Lethe.Silo.Hosting;

/// <summary>The Lethe host: an Orleans silo inside an ASP.NET Core app serving the HTTP API, health and metrics.</summary>
internal static partial class LetheHost
{
    /// <summary>Builds the host from <paramref name="configuration"/> (the caller's settings over appsettings, environment and defaults).</summary>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> settings, string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [] });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.UseOrleans(silo => silo.AddLetheSilo(builder.Configuration));
        builder.Services.AddLetheTelemetry();
        builder.Services.AddLetheApi(builder.Configuration);

        var app = builder.Build();
        app.MapLetheHealth();
        app.MapPrometheusScrapingEndpoint();
        app.MapLetheApi();
        LogKernel(app.Logger, OpenBlasLibrary.Instance.Kernel);
        return app;
    }

    /// <summary>Everything a Lethe silo is: its store, its ports and ids, and the grains' services.</summary>
    public static ISiloBuilder AddLetheSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var endpoints = configuration.GetSection(SiloEndpointsOptions.SectionName).Get<SiloEndpointsOptions>() ?? new SiloEndpointsOptions();
        silo.UseLetheStore(configuration);
        if (StoreSiloBuilderExtensions.Read(configuration.GetSection(StoreOptions.SectionName)).Provider == StoreProvider.Sqlite)
            silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: endpoints.ServiceId, clusterId: endpoints.ClusterId);
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = endpoints.SiloPort;
            o.GatewayPort = endpoints.GatewayPort;
        });
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = endpoints.ClusterId;
            o.ServiceId = endpoints.ServiceId;
        });
        silo.AddLetheGrains(configuration);
        return silo;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenBLAS kernel: {Kernel}")]
    private static partial void LogKernel(ILogger logger, BlasKernel kernel);
}
