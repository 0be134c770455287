using Lethe.Grains.Shards;

namespace Lethe.Grains.Coordinators;

/// <summary>
/// What a coordinator persists: the spec, where training is, each shard's served version, and the
/// deletions not yet finished on this model. Bounded: finished deletions leave; history is in the audit log.
/// </summary>
[GenerateSerializer, Alias("lethe.coordinator-state")]
public sealed class CoordinatorState
{
    /// <summary>How the model is built; null until created.</summary>
    [Id(0)] public ModelSpec? Spec { get; set; }

    /// <summary>Training, ready or failed.</summary>
    [Id(1)] public ModelState State { get; set; }

    /// <summary>Why training failed.</summary>
    [Id(2)] public string? FailureReason { get; set; }

    /// <summary>Whether every user and shard has been given its records.</summary>
    [Id(3)] public bool Assigned { get; set; }

    /// <summary>The last version each shard reported, by shard.</summary>
    [Id(4)] public Dictionary<int, ShardVersion> Shards { get; set; } = [];

    /// <summary>Deletions accepted and not yet finished and acknowledged, by deletion id.</summary>
    [Id(5)] public Dictionary<string, PendingDeletion> Pending { get; set; } = [];

    /// <summary>SHA-256 of an explicit owners table (see <see cref="OwnersDigest"/>): the table itself leaves
    /// <see cref="Spec"/> once the user grains hold it, so a deleted user's id does not stay in the coordinator's state.</summary>
    [Id(6)] public string? OwnersDigest { get; set; }
}

/// <summary>One deletion's progress on the model.</summary>
[GenerateSerializer, Alias("lethe.pending-deletion")]
public sealed class PendingDeletion
{
    /// <summary>The method carried out (never auto).</summary>
    [Id(0)] public UnlearningMethod Method { get; set; }

    /// <summary>Its records, by shard; dropped when the deletion finishes.</summary>
    [Id(1)] public Dictionary<int, int[]> Records { get; set; } = [];

    /// <summary>Per shard, the first version serving without the records.</summary>
    [Id(2)] public Dictionary<int, long> ServedVersions { get; set; } = [];

    /// <summary>Shards serving their exact model without the records.</summary>
    [Id(3)] public HashSet<int> ExactShards { get; set; } = [];

    /// <summary>When the last shard began serving without the records.</summary>
    [Id(4)] public DateTimeOffset? ServedAt { get; set; }

    /// <summary>The last stage the deletion grain has acknowledged.</summary>
    [Id(5)] public ModelDeletionStage Acknowledged { get; set; }

    /// <summary>Why a shard gave up.</summary>
    [Id(6)] public string? FailureReason { get; set; }

    /// <summary>Where the deletion stands.</summary>
    public ModelDeletionStage Stage =>
        FailureReason is not null ? ModelDeletionStage.Failed
        : ServedVersions.Count < Records.Count ? ModelDeletionStage.Pending
        : !Method.EndsExact() || ExactShards.Count == Records.Count ? ModelDeletionStage.Done
        : ModelDeletionStage.Served;

    /// <summary>Whether the deletion grain knows everything there is to know.</summary>
    public bool Finished => Acknowledged is ModelDeletionStage.Done or ModelDeletionStage.Failed;

    /// <summary>The progress to report.</summary>
    public ModelDeletionProgress Progress() => new(Stage, Method, new Dictionary<int, long>(ServedVersions), ServedAt, FailureReason);
}
