using System.Security.Cryptography;
using System.Text;

namespace Lethe.Silo.Api;

/// <summary>The API keys that may call write endpoints: <c>Lethe:Api:Keys</c> and the comma-separated <c>LETHE_API_KEYS</c>.</summary>
internal sealed class ApiKeys
{
    public const string EnvironmentVariable = "LETHE_API_KEYS";
    private readonly byte[][] keys;

    public ApiKeys(IConfiguration configuration)
    {
        var configured = configuration.GetSection("Lethe:Api:Keys").Get<string[]>() ?? [];
        var fromEnvironment = (configuration[EnvironmentVariable] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        keys = [.. configured.Concat(fromEnvironment).Where(k => !string.IsNullOrWhiteSpace(k)).Distinct().Select(k => Encoding.UTF8.GetBytes(k))];
    }

    /// <summary>Whether any key is configured; without keys, write endpoints are open, which <c>serve</c> allows on loopback only.</summary>
    public bool Required => keys.Length > 0;

    /// <summary>Whether <paramref name="header"/> (an Authorization header) carries one of the keys.</summary>
    public bool Accepts(string? header)
    {
        if (!Required) return true;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return keys.Any(key => CryptographicOperations.FixedTimeEquals(key, given));
    }
}

/// <summary>Refuses a write without a valid bearer key: 401 problem details, nothing stored.</summary>
internal sealed class RequireApiKey(ApiKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (keys.Accepts(context.HttpContext.Request.Headers.Authorization)) return await next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(title: "Unauthorized", detail: "Write endpoints need 'Authorization: Bearer <API key>'.", statusCode: StatusCodes.Status401Unauthorized);
    }
}

/// <summary>Marks an endpoint as one that needs an API key when keys are configured (the OpenAPI document shows it).</summary>
internal sealed class WriteKeyRequired
{
    public static readonly WriteKeyRequired Instance = new();
}

internal static class ApiKeyEndpointExtensions
{
    /// <summary>The endpoint is a write: it needs a bearer API key when keys are configured.</summary>
    public static RouteHandlerBuilder RequireWriteKey(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<RequireApiKey>().WithMetadata(WriteKeyRequired.Instance).ProducesProblem(StatusCodes.Status401Unauthorized);
}
