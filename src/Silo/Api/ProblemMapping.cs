using System.Data.Common;
using System.Text.Json;
using Lethe.Grains;
using Microsoft.AspNetCore.Diagnostics;

namespace Lethe.Silo.Api;

/// <summary>
/// Every failure as RFC 7807 problem details: a client's mistake is a 4xx naming the field and never
/// changes stored state; the cluster or its store not answering is a 503, so nothing that was refused
/// looks accepted.
/// </summary>
internal sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = Classify(exception);
        if (status >= 500) LogUnavailable(logger, context.Request.Path, exception);
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null) problem.Extensions["field"] = field;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static (int Status, string Title, string Detail, string? Field) Classify(Exception exception) => exception switch
    {
        LetheException { Kind: LetheErrorKind.Invalid } e => (400, "Invalid request", e.Message, e.Field),
        LetheException { Kind: LetheErrorKind.NotFound } e => (404, "Not found", e.Message, e.Field),
        LetheException { Kind: LetheErrorKind.Conflict } e => (409, "Conflict", e.Message, e.Field),
        LetheException e => (503, "Unavailable", e.Message, e.Field),
        BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed body", Describe(json), JsonField(json.Path) ?? "body"),
        BadHttpRequestException e => (e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, "Malformed request", e.Message, null),
        JsonException json => (400, "Malformed body", Describe(json), JsonField(json.Path) ?? "body"),
        TimeoutException or OrleansException or DbException or OperationCanceledException => (503, "Unavailable", "The cluster or its store did not answer; nothing was stored. Retry later.", null),
        _ => (503, "Unavailable", "The request could not be carried out; nothing was stored. Retry later.", null),
    };

    // System.Text.Json's messages name .NET types ("could not be converted to Lethe.Silo.Api.X"); say what is wrong in the API's terms.
    private static string Describe(JsonException json)
    {
        var field = JsonField(json.Path);
        var message = FirstSentence(json.Message);
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal)) message = "not a field of this request";
        else if (message.Contains("could not be converted to", StringComparison.Ordinal))
            message = field is null ? "the body must be a JSON object" : "the value has the wrong type or is out of range";
        return field is null ? message : $"{field}: {message}";
    }

    private static string? JsonField(string? path) => path is null || path == "$" ? null : path.TrimStart('$', '.');

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0];

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: answered 503")]
    private static partial void LogUnavailable(ILogger logger, PathString path, Exception exception);
}
