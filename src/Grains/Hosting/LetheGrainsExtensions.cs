using Lethe.Grains.Compute;
using Lethe.Grains.Data;
using Lethe.Grains.Deletions;
using Lethe.Grains.Devices;
using Orleans.Placement;
using Lethe.Grains.Metrics;
using Lethe.Learning.Compute;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lethe.Grains.Hosting;

/// <summary>Registers what Lethe's grains need on a silo.</summary>
public static class LetheGrainsExtensions
{
    /// <summary>
    /// The datasets (<c>Lethe:Data</c>), the compute gate and backend, the deletion policy
    /// (<c>Lethe:Deletions</c>), the metrics, and a start-up task that resumes every model's unfinished work.
    /// </summary>
    public static ISiloBuilder AddLetheGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<DataOptions>().Bind(configuration.GetSection("Lethe:Data"));
        services.AddOptions<DeletionOptions>().Bind(configuration.GetSection("Lethe:Deletions"))
            .Validate(o => o.Sla > TimeSpan.Zero, "Lethe:Deletions:Sla must be positive").ValidateOnStart();
        services.TryAddSingleton<DatasetCatalog>();
        services.TryAddSingleton<ComputeGate>();
        services.TryAddSingleton<IComputeBackend>(BlasBackend.Instance);
        services.TryAddSingleton<DeletionPolicy>();
        services.TryAddSingleton<IStoreScrubber, NoStoreScrubber>();
        services.AddMetrics();
        services.TryAddSingleton<LetheMetrics>();
        services.AddPlacementFilter<PreferGpuSilosStrategy, PreferGpuSilosDirector>(ServiceLifetime.Singleton);
        silo.AddStartupTask<ResumeModelsOnStart>();
        return silo;
    }
}
