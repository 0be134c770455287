using Orleans.Concurrency;

namespace Lethe.Grains;

/// <summary>
/// One user's deletion request (key: <see cref="DeletionId"/>), driving its lifecycle
/// Accepted, Forgetting, ModelsUpdated, Purged, Completed (or Failed) to the end.
/// </summary>
public interface IDeletionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Accepts the deletion of <paramref name="user"/> and returns once it is durable (Accepted); the
    /// rest happens in the background. Asking again returns the first request as it is now.
    /// </summary>
    /// <exception cref="LetheException">The user owns no records in any model (<see cref="LetheErrorKind.NotFound"/>), or the id is not this user's.</exception>
    Task<DeletionStatus> Submit(UserId user, UnlearningMethod method);

    /// <summary>The request as it is now, or null when no such request was made.</summary>
    [AlwaysInterleave]
    Task<DeletionStatus?> GetStatus();
}
