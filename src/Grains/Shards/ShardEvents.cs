namespace Lethe.Grains.Shards;

/// <summary>What a shard serves after an update.</summary>
/// <param name="Index">The shard.</param>
/// <param name="Version">The served version.</param>
/// <param name="Exact">Whether it is the exact model of the records held.</param>
/// <param name="WeightHash">SHA-256 of the served weights, hex.</param>
/// <param name="Records">Records held.</param>
/// <param name="Kind">What the update was: <c>train</c>, <c>replay</c>, <c>retrain</c>, <c>drop</c>, <c>scrub</c> or <c>none</c>.</param>
/// <param name="SamplesTrained">Examples passed through training steps.</param>
/// <param name="Seconds">Wall time of the update's computation.</param>
/// <param name="PersistSeconds">Wall time of writing the shard's new state and queue.</param>
/// <param name="Engine">The engine that computed the weights.</param>
[GenerateSerializer, Immutable, Alias("lethe.shard-version")]
public sealed record ShardVersion(int Index, long Version, bool Exact, string WeightHash, int Records, string Kind, long SamplesTrained, double Seconds, double PersistSeconds, string Engine);

/// <summary>A deletion a shard now serves without its records: approximately (a scrub) or exactly.</summary>
[GenerateSerializer, Immutable, Alias("lethe.served-deletion")]
public sealed record ServedDeletion(string DeletionId, bool Exact);
