using Orleans.Concurrency;

namespace Lethe.Silo.Api.Idempotency;

/// <summary>
/// One idempotency key of one endpoint (key: a hash of both): which request it was first used for and
/// the resource that request produced. Stores a hash of the request, never the request itself.
/// </summary>
internal interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>Claims the key for the request hashed as <paramref name="requestHash"/>, or says why not.</summary>
    Task<IdempotencyClaim> Claim(string requestHash);

    /// <summary>Records that the claimed request produced <paramref name="resourceId"/>; later claims of the same request replay it.</summary>
    Task Complete(string requestHash, string resourceId);

    /// <summary>Gives up a claim whose request failed, so the key can be used again; nothing was stored.</summary>
    [AlwaysInterleave]
    Task Release(string requestHash);
}

/// <summary>What a claim of an idempotency key found.</summary>
internal enum IdempotencyOutcome
{
    /// <summary>The key is new: carry the request out, then complete or release it.</summary>
    Proceed,

    /// <summary>The key was used for this same request: answer with its resource again.</summary>
    Replay,

    /// <summary>The key was used for another request (422).</summary>
    Mismatch,

    /// <summary>The same request under this key is being carried out right now (409).</summary>
    InProgress,
}

/// <summary>A claim's outcome, with the resource to replay when there is one.</summary>
[GenerateSerializer, Immutable, Alias("lethe.idempotency-claim")]
internal sealed record IdempotencyClaim([property: Id(0)] IdempotencyOutcome Outcome, [property: Id(1)] string? ResourceId);
