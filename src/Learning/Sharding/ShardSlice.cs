namespace Lethe.Learning.Sharding;

/// <summary>Where a record lives: a shard and a slice within it (both counted from 0).</summary>
public readonly record struct ShardSlice(int Shard, int Slice);
