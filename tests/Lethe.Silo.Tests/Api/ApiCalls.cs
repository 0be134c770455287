using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Lethe.Silo.Tests.Api;

/// <summary>The HTTP API as a client calls it: JSON text in, the status and the parsed JSON out.</summary>
public static class ApiCalls
{
    public sealed record Response(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string Text)
    {
        public JsonObject Json => Body as JsonObject ?? throw new InvalidOperationException($"Not a JSON object ({(int)Status}): {Text}");

        public JsonArray Items => Body as JsonArray ?? throw new InvalidOperationException($"Not a JSON array ({(int)Status}): {Text}");

        public override string ToString() => $"{(int)Status} {Text}";
    }

    public static async Task<Response> SendJsonAsync(this HttpClient http, HttpMethod method, string path, string? json = null, string? apiKey = null, string? idempotencyKey = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, contentType);
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType is "application/json" or "application/problem+json") body = JsonNode.Parse(text);
        var headers = response.Headers;
        return new Response(response.StatusCode, body, headers, text);
    }

    public static Task<Response> GetJsonAsync(this HttpClient http, string path) => http.SendJsonAsync(HttpMethod.Get, path);

    public static Task<Response> PostJsonAsync(this HttpClient http, string path, string? json, string? apiKey = null, string? idempotencyKey = null) =>
        http.SendJsonAsync(HttpMethod.Post, path, json, apiKey, idempotencyKey);

    /// <summary>A model body with explicit owners <c>{prefix}0</c>, <c>{prefix}1</c>, ...: user i owns records i*perUser .. i*perUser+perUser-1; the rest are owned by nobody.</summary>
    public static string ExplicitModel(string id, int users, int recordsPerUser, string prefix = "user-", int records = 3000, int shards = 3, int slices = 3)
    {
        var owners = string.Join(",", Enumerable.Range(0, users).Select(u => $"\"{prefix}{u}\":[{string.Join(",", Enumerable.Range(u * recordsPerUser, recordsPerUser))}]"));
        var ownership = "{\"kind\":\"explicit\",\"owners\":{" + owners + "}}";
        return $$"""{"id":"{{id}}","records":{{records}},"shards":{{shards}},"slices":{{slices}},"epochs_per_stage":2,"ownership":{{ownership}}}""";
    }

    /// <summary>Polls until <paramref name="done"/> holds for the response of GET <paramref name="path"/>, and returns that response.</summary>
    public static async Task<Response> PollAsync(this HttpClient http, string path, Func<Response, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await http.GetJsonAsync(path);
            if (done(response)) return response;
            if (clock.Elapsed > timeout) throw new TimeoutException($"GET {path} did not reach the expected answer within {timeout.TotalSeconds} s; last: {response}");
            await Task.Delay(250);
        }
    }

    public static Task<Response> WaitForModelReadyAsync(this HttpClient http, string model) =>
        http.PollAsync($"/v1/models/{model}", r => r.Status == HttpStatusCode.OK && (string?)r.Json["state"] == "ready", TimeSpan.FromMinutes(2));

    /// <summary>Waits until every listed deletion has finished (completed or failed), and returns them.</summary>
    public static async Task<JsonArray> WaitForDeletionsFinishedAsync(this HttpClient http, TimeSpan timeout) =>
        (await http.PollAsync("/v1/deletions?limit=1000", r => r.Status == HttpStatusCode.OK && r.Items.All(d => (bool)d!["is_finished"]!), timeout)).Items;
}
