using Lethe.Learning.Data;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;

namespace Lethe.Learning.Tests;

/// <summary>The sharded tests' setup: 2,400 MNIST records owned by 30 Zipf(1.5) users, 3 shards of 4 slices.</summary>
internal static class SmallSharding
{
    public const long RunSeed = 11;
    public const int Records = 2400;
    public static readonly Lazy<Dataset> SmallData = new(() => TestData.MnistTrain.Subset(Enumerable.Range(0, Records).ToArray()));
    public static readonly Ownership SmallOwners = ZipfOwnership.Create(Records, users: 30, exponent: 1.5, seed: 5);

    // SISA's rule with E = 5 over 4 slices: 2 epochs per stage.
    public static readonly ShardingOptions Small = new()
    {
        Shards = 3,
        Slices = 4,
        Training = new ShardingOptions().Training with { Epochs = 5 },
    };
}
