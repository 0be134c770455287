namespace Lethe.Grains;

/// <summary>Where a deletion is in its lifecycle: Accepted, Forgetting, ModelsUpdated, Purged, Completed, or Failed.</summary>
public enum DeletionState
{
    /// <summary>Durably recorded; the user's records are excluded from every later training read.</summary>
    Accepted,

    /// <summary>The affected shards are updating (coalesced with other pending deletions).</summary>
    Forgetting,

    /// <summary>Every affected shard serves a version without the records (the end of unlearn latency).</summary>
    ModelsUpdated,

    /// <summary>The user's ownership state is cleared.</summary>
    Purged,

    /// <summary>Done (and exact, for the methods that end exact).</summary>
    Completed,

    /// <summary>Could not be carried out; see the reason.</summary>
    Failed,
}

/// <summary>A deletion request as it is now. Holds no user id once purged.</summary>
/// <param name="Id">The request.</param>
/// <param name="State">Where it is.</param>
/// <param name="Method">The method asked for.</param>
/// <param name="ResolvedMethod">The method carried out (what <c>auto</c> chose; otherwise the method asked for).</param>
/// <param name="Models">The models holding the user's records when it was accepted.</param>
/// <param name="Records">How many records it forgets, over all models.</param>
/// <param name="Transitions">When each state was reached.</param>
/// <param name="Exact">Whether every affected shard serves its exact model without the records.</param>
/// <param name="ShardVersions">Per model, the shard versions that first served without the records.</param>
/// <param name="FailureReason">Why it failed, when it did.</param>
[GenerateSerializer, Immutable, Alias("lethe.deletion-status")]
public sealed record DeletionStatus(
    string Id,
    DeletionState State,
    UnlearningMethod Method,
    UnlearningMethod ResolvedMethod,
    IReadOnlyList<string> Models,
    int Records,
    IReadOnlyDictionary<DeletionState, DateTimeOffset> Transitions,
    bool Exact,
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, long>> ShardVersions,
    string? FailureReason)
{
    /// <summary>Unlearn latency in seconds: Accepted to ModelsUpdated, once reached.</summary>
    public double? UnlearnLatencySeconds =>
        Transitions.TryGetValue(DeletionState.ModelsUpdated, out var updated) ? (updated - Transitions[DeletionState.Accepted]).TotalSeconds : null;

    /// <summary>Whether the lifecycle has ended (Completed or Failed).</summary>
    public bool IsFinished => State is DeletionState.Completed or DeletionState.Failed;
}
