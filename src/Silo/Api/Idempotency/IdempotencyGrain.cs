using Lethe.Silo.Storage;

namespace Lethe.Silo.Api.Idempotency;

/// <summary>What an idempotency key persists once its request has succeeded: the request's hash and the resource it produced.</summary>
[GenerateSerializer, Alias("lethe.idempotency-record")]
internal sealed class IdempotencyRecord
{
    /// <summary>SHA-256 of the request, hex.</summary>
    [Id(0)] public string? RequestHash { get; set; }

    /// <summary>The resource the request produced (a deletion or model id).</summary>
    [Id(1)] public string? ResourceId { get; set; }

    /// <summary>When the request succeeded.</summary>
    [Id(2)] public DateTimeOffset CompletedAt { get; set; }
}

/// <summary>
/// An idempotency key. A claim is held in memory while its request runs (calls to one grain run one at a
/// time, so two requests under one key cannot both proceed); only a succeeded request is written, so a
/// refused one leaves nothing behind. A claim whose caller vanished lapses after <see cref="ClaimLapse"/>.
/// </summary>
internal sealed class IdempotencyGrain(
    [PersistentState("idempotency", StoreOptions.GrainStorageName)] IPersistentState<IdempotencyRecord> state, TimeProvider time)
    : Grain, IIdempotencyGrain
{
    private static readonly TimeSpan ClaimLapse = TimeSpan.FromMinutes(5);
    private (string RequestHash, DateTimeOffset Since)? claim;

    public Task<IdempotencyClaim> Claim(string requestHash)
    {
        if (state.State.RequestHash is { } stored)
            return Answer(stored == requestHash ? IdempotencyOutcome.Replay : IdempotencyOutcome.Mismatch, state.State.ResourceId);
        var now = time.GetUtcNow();
        if (claim is { } held && now - held.Since < ClaimLapse)
            return Answer(held.RequestHash == requestHash ? IdempotencyOutcome.InProgress : IdempotencyOutcome.Mismatch);
        claim = (requestHash, now);
        return Answer(IdempotencyOutcome.Proceed);
    }

    public async Task Complete(string requestHash, string resourceId)
    {
        if (state.State.RequestHash is not null) return;
        state.State.RequestHash = requestHash;
        state.State.ResourceId = resourceId;
        state.State.CompletedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        claim = null;
    }

    public Task Release(string requestHash)
    {
        if (claim?.RequestHash == requestHash) claim = null;
        return Task.CompletedTask;
    }

    private static Task<IdempotencyClaim> Answer(IdempotencyOutcome outcome, string? resourceId = null) =>
        Task.FromResult(new IdempotencyClaim(outcome, resourceId));
}
