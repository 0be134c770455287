using System.Text.Json;

namespace Lethe.Grains.Audit;

/// <summary>A transition to write to the audit log; the log grain gives it its place in the chain.</summary>
/// <param name="Kind">What happened, e.g. <c>deletion.accepted</c> or <c>shard.replay</c>.</param>
/// <param name="ModelId">The model(s) it concerns.</param>
/// <param name="DeletionId">The deletion request, when it belongs to one.</param>
/// <param name="PayloadJson">The figures (shard versions, weight hashes, durations) as JSON.</param>
[GenerateSerializer, Immutable, Alias("lethe.audit-record")]
public sealed record AuditRecord(string Kind, string ModelId, string? DeletionId, string PayloadJson)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The JSON of <paramref name="payload"/>, as the HTTP API writes it: snake_case names, kebab-case enum values.</summary>
    public static string Json(object payload) => JsonSerializer.Serialize(payload, Options);

    /// <summary>An enum value as the API spells it, e.g. <c>models-updated</c>.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
