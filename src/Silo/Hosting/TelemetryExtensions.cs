using Lethe.Grains.Metrics;
using OpenTelemetry.Metrics;

namespace Lethe.Silo.Hosting;

/// <summary>Metrics through OpenTelemetry: Lethe's instruments beside Orleans' own, scraped by Prometheus at <c>/metrics</c>.</summary>
internal static class TelemetryExtensions
{
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IServiceCollection AddLetheTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(LetheMetrics.MeterName, OrleansMeter)
            .AddPrometheusExporter());
        return services;
    }
}
