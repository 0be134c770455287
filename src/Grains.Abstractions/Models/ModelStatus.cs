namespace Lethe.Grains;

/// <summary>Where a model is in its life.</summary>
public enum ModelState
{
    /// <summary>Placing records and training shards.</summary>
    Training,

    /// <summary>Every shard serves a model; deletions are applied as they come.</summary>
    Ready,

    /// <summary>Training failed; see the reason.</summary>
    Failed,
}

/// <summary>A model as it is now.</summary>
/// <param name="Id">The model.</param>
/// <param name="State">Training, ready or failed.</param>
/// <param name="Spec">How it was built.</param>
/// <param name="Shards">Each shard's state.</param>
/// <param name="TestAccuracy">The ensemble's accuracy on the dataset's test split, for the shard versions now served; null until ready.</param>
/// <param name="PendingDeletions">Deletions accepted whose shards are not all updated yet.</param>
/// <param name="FailureReason">Why training failed, when it did.</param>
[GenerateSerializer, Immutable, Alias("lethe.model-status")]
public sealed record ModelStatus(
    string Id,
    ModelState State,
    ModelSpec Spec,
    IReadOnlyList<ShardStatus> Shards,
    double? TestAccuracy,
    int PendingDeletions,
    string? FailureReason);

/// <summary>One shard of a model as it is now.</summary>
/// <param name="Index">The shard.</param>
/// <param name="Trained">Whether it serves a model (or holds no records).</param>
/// <param name="Records">Records it holds.</param>
/// <param name="Version">The served version: 0 before training, 1 after, one more per update.</param>
/// <param name="Exact">Whether the served model is the exact one for the records held (false after a scrub until the replay).</param>
/// <param name="WeightHash">SHA-256 of the served weights (safetensors bytes), hex; empty when it serves none.</param>
/// <param name="Pending">Deletions waiting for this shard.</param>
/// <param name="Replays">Updates run since training (scrubs and replays).</param>
/// <param name="Updating">Whether an update (training, a scrub or a replay) is running now.</param>
/// <param name="Engine">The engine whose arithmetic produced the weights (e.g. <c>blas/SkylakeX</c>).</param>
/// <param name="Device">The device the shard's silo computes on (<c>cpu</c> or <c>cuda</c>), as its silo metadata says.</param>
/// <param name="Silo">The silo the shard is active on.</param>
[GenerateSerializer, Immutable, Alias("lethe.shard-status")]
public sealed record ShardStatus(
    int Index,
    bool Trained,
    int Records,
    long Version,
    bool Exact,
    string WeightHash,
    int Pending,
    long Replays,
    bool Updating,
    string Engine,
    string Device,
    string Silo);
