using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lethe.Client;

/// <summary>Registers <see cref="ILetheClient"/>.</summary>
public static class LetheClientExtensions
{
    /// <summary>
    /// Adds <see cref="ILetheClient"/> and, unless the silo runs in this process, the Orleans client it talks
    /// through (connected when the host starts).
    /// </summary>
    /// <exception cref="ArgumentException">A setting cannot work (named in the message).</exception>
    public static IServiceCollection AddLetheClient(this IServiceCollection services, Action<LetheClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new LetheClientOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<ILetheClient, LetheClient>();
        if (options.Connection == LetheClusterConnection.LocalhostGateway)
        {
            services.AddOrleansClient(client => client
                .UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId)
                .UseConnectionRetryFilter(new RetryUntil(options.ConnectTimeout).ShouldRetry));
        }

        return services;
    }

    // Retries a failed connection until the timeout has passed since the first failure.
    private sealed class RetryUntil(TimeSpan timeout)
    {
        private Stopwatch? sinceFirstFailure;

        public async Task<bool> ShouldRetry(Exception exception, CancellationToken cancellationToken)
        {
            sinceFirstFailure ??= Stopwatch.StartNew();
            if (sinceFirstFailure.Elapsed >= timeout) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            return true;
        }
    }
}
