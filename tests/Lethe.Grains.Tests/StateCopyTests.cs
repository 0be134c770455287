using Lethe.Grains.Shards;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Lethe.Grains.Tests;

/// <summary>Each state write stores a copy of the grain's state: a shard's copy shares its checkpoints (megabytes, never
/// changed in place: an update stores new ones) and copies the rest.</summary>
public sealed class StateCopyTests
{
    [Fact]
    public void A_shard_state_copy_shares_its_checkpoints_and_copies_its_slices()
    {
        using var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(ShardModelState).Assembly)).BuildServiceProvider();
        var copier = services.GetRequiredService<DeepCopier>();
        var state = new ShardModelState { Slices = [[1, 2], [3]], Checkpoints = [[1, 2, 3], [4, 5]], Version = 2 };

        var copy = copier.Copy(state);

        Assert.NotSame(state, copy);
        Assert.Same(state.Checkpoints, copy.Checkpoints);
        Assert.NotSame(state.Slices, copy.Slices);
        Assert.Equal(state.Slices, copy.Slices);
        Assert.Equal(2, copy.Version);
    }
}
