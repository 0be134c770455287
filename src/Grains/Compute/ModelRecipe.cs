using Lethe.Learning.Sharding;

namespace Lethe.Grains.Compute;

/// <summary>How a model's spec becomes the SISA options its coordinator places records with and its shards train with: one function, so both agree.</summary>
internal static class ModelRecipe
{
    public static ShardingOptions ShardingOptions(ModelSpec spec)
    {
        var defaults = new ShardingOptions();
        return defaults with
        {
            Shards = spec.Shards,
            Slices = spec.Slices,
            Placement = spec.Placement == Placement.Uniform ? PlacementPolicy.Uniform : PlacementPolicy.UserAffine,
            // Epochs given per stage train every stage that many; otherwise the default schedule (SISA's rule) sets them.
            Schedule = spec.EpochsPerStage is null ? defaults.Schedule : SliceSchedule.EveryStage,
            Training = spec.EpochsPerStage is { } epochs ? defaults.Training with { Epochs = epochs } : defaults.Training,
        };
    }
}
