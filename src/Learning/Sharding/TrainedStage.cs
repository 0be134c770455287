namespace Lethe.Learning.Sharding;

/// <summary>
/// A stage a shard's run has just finished: its checkpoint is final for the run, so a caller may store it
/// while the later stages train.
/// </summary>
public readonly record struct TrainedStage(int Shard, int Slice, ReadOnlyMemory<byte> Checkpoint);
