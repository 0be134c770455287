using Lethe.Grains.Metrics;
using OpenTelemetry.Metrics;

namespace Lethe.Silo.Hosting;

/// <summary>Metrics through OpenTelemetry: Lethe's instruments beside Orleans' own (in base units), scraped by Prometheus at <c>/metrics</c>.</summary>
internal static class TelemetryExtensions
{
    public static IServiceCollection AddLetheTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<OrleansInBaseUnits>();
        services.AddHostedService(provider => provider.GetRequiredService<OrleansInBaseUnits>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(LetheMetrics.MeterName, OrleansInBaseUnits.OrleansMeter, OrleansInBaseUnits.MeterName)
            .AddView(OrleansInBaseUnits.View)
            .AddPrometheusExporter());
        return services;
    }
}
