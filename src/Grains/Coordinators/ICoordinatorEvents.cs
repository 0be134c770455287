using Orleans.Concurrency;
using Lethe.Grains.Shards;

namespace Lethe.Grains.Coordinators;

/// <summary>What a model's shards and deletions tell its coordinator (the coordinator grain implements it; key: the model id).</summary>
public interface ICoordinatorEvents : IGrainWithStringKey
{
    /// <summary>A shard serves <paramref name="version"/>; <paramref name="served"/> are the deletions it now serves without their records.</summary>
    Task ShardUpdated(ShardVersion version, IReadOnlyList<ServedDeletion> served);

    /// <summary>A shard gave up on <paramref name="deletionIds"/> after repeated failures.</summary>
    Task ShardFailed(int index, IReadOnlyList<string> deletionIds, string reason);

    /// <summary>
    /// Durably accepts a deletion of <paramref name="recordsByShard"/> from this model and queues it on
    /// the shards; accepting the same deletion again does nothing. Returns the method carried out.
    /// Interleaves, so that deletions arriving together share the coordinator's state writes.
    /// </summary>
    [AlwaysInterleave]
    Task<UnlearningMethod> Forget(string deletionId, Dictionary<int, int[]> recordsByShard, UnlearningMethod method);

    /// <summary>Where a deletion stands on this model, for a deletion re-driving itself after a crash.</summary>
    Task<ModelDeletionProgress> Progress(string deletionId);

    /// <summary>Resumes unfinished work after a restart (training, queued deletions, notifications).</summary>
    Task Resume();
}

/// <summary>How far a deletion has come on one model.</summary>
public enum ModelDeletionStage
{
    /// <summary>The coordinator holds no such pending deletion: never accepted here, or finished and acknowledged.</summary>
    Unknown,

    /// <summary>Accepted; some shards still serve its records.</summary>
    Pending,

    /// <summary>Every shard serves a version without its records; for exact methods some replays are still due.</summary>
    Served,

    /// <summary>Every shard serves a version without the records: the exact model, for the methods that end exact.</summary>
    Done,

    /// <summary>A shard gave up.</summary>
    Failed,
}

/// <summary>A deletion's progress on one model.</summary>
/// <param name="Stage">How far it has come.</param>
/// <param name="Method">The method carried out.</param>
/// <param name="ShardVersions">Per shard, the first version serving without the records.</param>
/// <param name="ServedAt">When the last shard began serving without them.</param>
/// <param name="FailureReason">Why it failed, when it did.</param>
[GenerateSerializer, Immutable, Alias("lethe.model-deletion-progress")]
public sealed record ModelDeletionProgress(ModelDeletionStage Stage, UnlearningMethod Method, Dictionary<int, long> ShardVersions, DateTimeOffset? ServedAt, string? FailureReason);
