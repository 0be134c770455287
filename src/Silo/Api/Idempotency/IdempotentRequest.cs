using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lethe.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lethe.Silo.Api.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> header of a write: the same key with the same request answers as the first
/// time did (the same status, Location and resource, marked <c>Idempotent-Replayed: true</c>); the same
/// key with another request is refused with 422; while the first is still running, 409.
/// Without the header, the request is carried out as it is.
/// </summary>
internal static class IdempotentRequest
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 255;

    /// <summary>
    /// Carries out <paramref name="perform"/> once per key and request. <paramref name="request"/> is the
    /// request as validated (defaults filled in), so two spellings of one request are one request; only its
    /// hash is kept. <paramref name="replay"/> answers again for the resource the first request produced.
    /// </summary>
    public static async Task<Results<AcceptedAtRoute<T>, ProblemHttpResult>> RunAsync<T>(
        HttpContext http,
        string? idempotencyKey,
        IGrainFactory grains,
        string endpoint,
        object request,
        Func<Task<(string ResourceId, AcceptedAtRoute<T> Result)>> perform,
        Func<string, Task<AcceptedAtRoute<T>>> replay)
    {
        if (Validated(idempotencyKey) is not { } key) return (await perform()).Result;

        var grain = grains.GetGrain<IIdempotencyGrain>(Hash($"lethe-idempotency-key\n{endpoint}\n{key}"));
        var requestHash = Hash($"lethe-idempotent-request\n{endpoint}\n{JsonSerializer.Serialize(request)}");
        var claim = await grain.Claim(requestHash);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.Replay:
                http.Response.Headers[ReplayedHeader] = "true";
                return await replay(claim.ResourceId!);
            case IdempotencyOutcome.Mismatch:
                return TypedResults.Problem(
                    title: "Idempotency key reused",
                    detail: $"This {Header} was used for a different request; use a new key for a new request.",
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    extensions: new Dictionary<string, object?> { ["field"] = Header });
            case IdempotencyOutcome.InProgress:
                return TypedResults.Problem(
                    title: "Request in progress",
                    detail: $"A request with this {Header} is being carried out; retry once it has answered.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["field"] = Header });
        }

        try
        {
            var (resourceId, result) = await perform();
            await grain.Complete(requestHash, resourceId);
            return result;
        }
        catch
        {
            await grain.Release(requestHash);
            throw;
        }
    }

    private static string? Validated(string? key)
    {
        if (key is null) return null;
        if (key.Length == 0 || key.Length > MaxKeyLength || !key.All(c => c is > ' ' and <= '~'))
            throw LetheException.Invalid(Header, $"a key is 1 to {MaxKeyLength} visible ASCII characters (a UUID, for instance)");
        return key;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
