using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lethe.Silo.Api;

/// <summary>The HTTP API's JSON: snake_case names, kebab-case enum values (<c>user-affine</c>, <c>scrub-then-sisa</c>, <c>models-updated</c>).</summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = JsonNamingPolicy.KebabCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
