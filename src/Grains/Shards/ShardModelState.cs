namespace Lethe.Grains.Shards;

/// <summary>
/// What a shard grain persists of its model: the spec it trains by, the records it still holds per
/// slice (never a forgotten one), which update's checkpoint each stage's own state holds
/// (<see cref="ShardStageState"/>), and the served model when a scrub made it differ from the last
/// checkpoint. Written after each update, whole: the update is committed when this state is written.
/// </summary>
[GenerateSerializer, Alias("lethe.shard-model-state")]
public sealed class ShardModelState
{
    /// <summary>The spec (without its ownership table); null until assigned.</summary>
    [Id(0)] public ModelSpec? Spec { get; set; }

    /// <summary>The records held, per slice, in training order.</summary>
    [Id(1)] public int[][] Slices { get; set; } = [];

    /// <summary>Whether training has finished (the checkpoints are those of the slices).</summary>
    [Id(2)] public bool Trained { get; set; }

    /// <summary>
    /// In a store written before stage states: the checkpoint after each stage (safetensors); empty once the
    /// checkpoints are in stage states. Never changed in place, so copies of the state share them.
    /// </summary>
    [Id(3), Immutable] public byte[][] Checkpoints { get; set; } = [];

    /// <summary>After a scrub: the first stage whose checkpoint still carries forgotten records.</summary>
    [Id(4)] public int? ApproximateFromSlice { get; set; }

    /// <summary>After a scrub: the served (scrubbed) model's weights (never changed in place, like the checkpoints).</summary>
    [Id(5), Immutable] public byte[]? ServedModel { get; set; }

    /// <summary>The served version: 1 after training, one more per update.</summary>
    [Id(6)] public long Version { get; set; }

    /// <summary>Updates run since training.</summary>
    [Id(7)] public long Replays { get; set; }

    /// <summary>SHA-256 of the served weights, hex.</summary>
    [Id(8)] public string WeightHash { get; set; } = "";

    /// <summary>The engine that computed the served weights.</summary>
    [Id(9)] public string Engine { get; set; } = "";

    /// <summary>Per stage, the update whose checkpoint the stage's state must hold; empty when the shard holds no records (or its checkpoints are in <see cref="Checkpoints"/>).</summary>
    [Id(10)] public Guid[] StageUpdates { get; set; } = [];
}

/// <summary>
/// One stage's checkpoint, in a grain state of its own: an update writes only the stages it trains, each as
/// soon as it is trained, while the later stages train. A checkpoint whose <see cref="Update"/> is not the one
/// <see cref="ShardModelState.StageUpdates"/> names was written by an update that never committed (a crash, a
/// superseded replay): the shard replays from that stage at the latest.
/// </summary>
[GenerateSerializer, Alias("lethe.shard-stage-state")]
public sealed class ShardStageState
{
    /// <summary>The update that wrote the checkpoint.</summary>
    [Id(0)] public Guid Update { get; set; }

    /// <summary>The checkpoint after the stage (safetensors); empty once the shard holds no records. Never changed in place.</summary>
    [Id(1), Immutable] public byte[] Checkpoint { get; set; } = [];
}

/// <summary>The deletions waiting for a shard: written on every arrival, small.</summary>
[GenerateSerializer, Alias("lethe.shard-queue-state")]
public sealed class ShardQueueState
{
    /// <summary>Deletions in arrival order.</summary>
    [Id(0)] public List<QueuedDeletion> Items { get; set; } = [];
}

/// <summary>A deletion waiting for a shard.</summary>
[GenerateSerializer, Alias("lethe.queued-deletion")]
public sealed class QueuedDeletion
{
    /// <summary>The request.</summary>
    [Id(0)] public string DeletionId { get; set; } = "";

    /// <summary>Its records on this shard.</summary>
    [Id(1)] public int[] Records { get; set; } = [];

    /// <summary>What the shard does for it.</summary>
    [Id(2)] public UnlearningMethod Method { get; set; }

    /// <summary>For scrub-then-sisa: the scrub is served, the exact replay is still due.</summary>
    [Id(3)] public bool Scrubbed { get; set; }
}
