using Lethe.Learning.Training;

namespace Lethe.Learning.Sharding;

/// <summary>Progress of sharded training: which shard, which stage (the slice it adds) and the epoch just finished.</summary>
public readonly record struct ShardProgress(int Shard, int Slice, EpochProgress Epoch);
