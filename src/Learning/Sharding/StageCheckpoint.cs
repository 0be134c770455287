using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lethe.Learning.Checkpoints;

namespace Lethe.Learning.Sharding;

/// <summary>
/// What a shard's checkpoint after a stage carries besides its tensors: the recipe and seed it was
/// trained with, the shard and stage, and the engine whose arithmetic produced it. A replay refuses a
/// checkpoint of another recipe, seed, shard or stage; one from another engine is exact only for that
/// engine, so the shard retrains instead of replaying from it.
/// </summary>
public static class StageCheckpoint
{
    private const string RecipeKey = "lethe.shard.recipe";
    private const string ShardKey = "lethe.shard.index";
    private const string StageKey = "lethe.shard.stage";
    private const string EngineKey = "lethe.engine";

    /// <summary>The metadata of the checkpoint after <paramref name="stage"/> of <paramref name="shard"/>.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(ShardingOptions options, long runSeed, int shard, int stage, string engine) =>
        new Dictionary<string, string>
        {
            [RecipeKey] = RecipeFingerprint(options, runSeed),
            [ShardKey] = shard.ToString(CultureInfo.InvariantCulture),
            [StageKey] = stage.ToString(CultureInfo.InvariantCulture),
            [EngineKey] = engine,
        };

    /// <summary>
    /// A fingerprint of everything that decides a shard's stages: the options that shape training (not
    /// the shard count, placement or aggregation, which only decide where records go and how shards vote) and the run seed.
    /// </summary>
    public static string RecipeFingerprint(ShardingOptions options, long runSeed)
    {
        var stageOptions = options with { Shards = 0, Placement = default, BalanceTolerance = 0, Aggregation = default };
        var text = JsonSerializer.Serialize(stageOptions) + "|" + runSeed.ToString(CultureInfo.InvariantCulture);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The engine that wrote <paramref name="checkpoint"/>, after checking it is the one a replay of this stage needs.</summary>
    /// <exception cref="InvalidDataException">The checkpoint belongs to another recipe, seed, shard or stage.</exception>
    public static string Check(ReadOnlySpan<byte> checkpoint, ShardingOptions options, long runSeed, int shard, int stage)
    {
        var metadata = SafeTensors.ReadMetadata(checkpoint);
        string Read(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"The checkpoint has no '{key}': it was not written by a Lethe shard.");

        if (Read(RecipeKey) != RecipeFingerprint(options, runSeed))
            throw new InvalidDataException($"The checkpoint of shard {shard}, stage {stage} was trained with another recipe or seed; a replay from it would not be exact.");
        if (Read(ShardKey) != shard.ToString(CultureInfo.InvariantCulture) || Read(StageKey) != stage.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"The checkpoint is of shard {Read(ShardKey)}, stage {Read(StageKey)}; shard {shard}, stage {stage} was asked for.");
        return Read(EngineKey);
    }
}
