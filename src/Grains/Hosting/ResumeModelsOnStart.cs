using Lethe.Grains.Coordinators;

namespace Lethe.Grains.Hosting;

/// <summary>
/// At silo start, tells every model's coordinator to resume unfinished work (training, queued
/// deletions), so a restarted cluster continues at once rather than at the next reminder tick.
/// </summary>
internal sealed class ResumeModelsOnStart(IGrainFactory grains) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var models = await grains.GetGrain<IModelRegistryGrain>(0).List();
        await Task.WhenAll(models.Select(model => grains.GetGrain<ICoordinatorEvents>(model).Resume()));
    }
}
