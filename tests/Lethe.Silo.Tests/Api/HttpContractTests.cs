using System.Net;
using System.Text.Json.Nodes;
using Lethe.Grains;
using Lethe.Learning.Data;
using Lethe.Silo.Tests.Storage;

namespace Lethe.Silo.Tests.Api;

/// <summary>The HTTP API v1 of a real <c>lethe serve</c> on loopback, on its real SQLite file: every endpoint's answers and errors.</summary>
[Collection(StoreSilos.Name)]
public sealed class HttpContractTests(ContractServer fixture) : IClassFixture<ContractServer>
{
    private const string Key = ContractServer.Key;
    private readonly HttpClient http = fixture.Http;

    [Fact]
    public async Task Health_readiness_and_the_openapi_document_describe_the_service()
    {
        var health = await http.GetJsonAsync("/healthz");
        Assert.Equal((HttpStatusCode.OK, "ok"), (health.Status, health.Text));
        Assert.Equal(HttpStatusCode.OK, (await http.GetJsonAsync("/readyz")).Status);

        var document = (await http.GetJsonAsync("/openapi/v1.json")).Json;
        var paths = document["paths"]!.AsObject();
        string[] operations = ["post /v1/models", "get /v1/models", "get /v1/models/{id}", "post /v1/models/{id}/predict", "post /v1/deletions", "get /v1/deletions",
            "get /v1/deletions/{id}", "get /v1/audit", "get /v1/audit/verify"];
        foreach (var operation in operations)
        {
            var (verb, path) = (operation.Split(' ')[0], operation.Split(' ')[1]);
            Assert.True(paths[path]?[verb] is JsonObject, $"the document lacks {operation}");
            Assert.False(string.IsNullOrEmpty((string?)paths[path]![verb]!["summary"]), $"{operation} has no summary");
        }

        Assert.Equal(["limit", "model", "status"], Parameters(paths["/v1/deletions"]!["get"]!).Order());
        Assert.Equal(["from", "limit"], Parameters(paths["/v1/audit"]!["get"]!).Order());
        foreach (var write in new[] { paths["/v1/models"]!["post"]!, paths["/v1/deletions"]!["post"]! })
        {
            Assert.Contains("Idempotency-Key", Parameters(write));
            Assert.Contains("bearer", write["security"]!.AsArray().SelectMany(requirement => requirement!.AsObject().Select(pair => pair.Key)));
            foreach (var status in new[] { "202", "400", "401" }) Assert.True(write["responses"]![status] is not null, $"a write does not document {status}");
        }

        Assert.Null(paths["/v1/deletions/{id}"]!["get"]!["security"]);
        Assert.Equal("http", (string?)document["components"]!["securitySchemes"]!["bearer"]!["type"]);
    }

    [Fact]
    public async Task Writes_need_a_configured_api_key_and_a_refused_write_stores_nothing()
    {
        await http.WaitForDeletionsFinishedAsync(TimeSpan.FromMinutes(2));
        var before = await StoreSnapshot.SettledDigestAsync(fixture.Server.Store, TimeSpan.FromMinutes(1));

        foreach (var key in new[] { null, "wrong-key", Key + "x" })
        {
            var model = await http.PostJsonAsync("/v1/models", ApiCalls.ExplicitModel("m-unauthorised", 2, 5), key);
            var deletion = await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-20"}""", key);
            foreach (var refused in new[] { model, deletion })
            {
                AssertProblem(refused, HttpStatusCode.Unauthorized, field: null);
                Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            }
        }

        Assert.Equal(before, await StoreSnapshot.DigestAsync(fixture.Server.Store));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync("/v1/models/m-unauthorised")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync($"/v1/deletions/{DeletionId.ForUser(UserId.Parse("user-20"))}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetJsonAsync("/v1/models")).Status); // reads need no key
    }

    [Fact]
    public async Task A_model_is_listed_read_created_again_idempotently_and_predicts_the_test_split()
    {
        Assert.Contains(ContractServer.Model, (await http.GetJsonAsync("/v1/models")).Items.Select(id => (string?)id));
        var model = (await http.GetJsonAsync($"/v1/models/{ContractServer.Model}")).Json;
        Assert.Equal("ready", (string?)model["state"]);
        var shards = model["shards"]!.AsArray();
        Assert.Equal(3, shards.Count);
        Assert.All(shards, shard => Assert.True((bool)shard!["trained"]! && (long)shard["version"]! >= 1 && ((string?)shard["weight_hash"])!.Length == 64));
        Assert.True((double)model["test_accuracy"]! > 0.7, model.ToJsonString());
        Assert.Null(model["spec"]!["ownership"]!["owners"]); // who owns what is not served back

        var again = await http.PostJsonAsync("/v1/models", ContractServer.ModelBody, Key);
        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.Equal($"/v1/models/{ContractServer.Model}", again.Headers.Location!.AbsolutePath);
        Assert.Equal("ready", (string?)again.Json["state"]);
        AssertProblem(await http.PostJsonAsync("/v1/models", ContractServer.ModelBody.Replace("\"records\":3000", "\"records\":2999", StringComparison.Ordinal), Key), HttpStatusCode.Conflict, field: null);

        var test = ImageDatasets.Load("mnist", Split.Test, TestDataFolder.Path);
        var rows = Enumerable.Range(0, 200).ToArray();
        var byIndex = (await http.PostJsonAsync($"/v1/models/{ContractServer.Model}/predict", $$"""{"test_indices":[{{string.Join(",", rows)}}]}""")).Json;
        var predictions = byIndex["predictions"]!.AsArray().Select(p => (int)p!).ToArray();
        var probabilities = byIndex["probabilities"]!.AsArray().Select(p => (double)p!).ToArray();
        Assert.Equal((10, rows.Length, rows.Length * 10), ((int)byIndex["classes"]!, predictions.Length, probabilities.Length));
        Assert.All(rows, row => Assert.Equal(1.0, probabilities.Skip(row * 10).Take(10).Sum(), 3));
        Assert.True(rows.Count(row => predictions[row] == test.Labels[row]) >= 140, "fewer than 70% of 200 test rows right");
        Assert.Equal(3, byIndex["shard_versions"]!.AsObject().Count);

        var pixels = $$"""{"pixels":[{{string.Join(",", rows[..5].Select(row => "[" + string.Join(",", test.Row(row).ToArray()) + "]"))}}]}""";
        var byPixels = (await http.PostJsonAsync($"/v1/models/{ContractServer.Model}/predict", pixels)).Json;
        Assert.Equal(predictions[..5], byPixels["predictions"]!.AsArray().Select(p => (int)p!));
    }

    [Fact]
    public async Task A_deletion_is_accepted_durably_read_listed_audited_and_completes_exactly()
    {
        var accepted = await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-1"}""", Key);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        var id = (string)accepted.Json["id"]!;
        Assert.Equal(DeletionId.ForUser(UserId.Parse("user-1")).Value, id);
        Assert.Equal($"/v1/deletions/{id}", accepted.Headers.Location!.AbsolutePath);
        Assert.Equal((20, "sisa"), ((int)accepted.Json["records"]!, (string?)accepted.Json["method"]));
        Assert.Equal([ContractServer.Model], accepted.Json["models"]!.AsArray().Select(m => (string?)m));
        Assert.Contains(id, await ListedIds("")); // in the audit log before the answer

        var again = await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-1","method":"sisa"}""", Key);
        Assert.Equal((HttpStatusCode.Accepted, id), (again.Status, (string?)again.Json["id"]));

        var completed = (await http.PollAsync($"/v1/deletions/{id}", r => (string?)r.Json["state"] == "completed", TimeSpan.FromMinutes(2))).Json;
        Assert.True((bool)completed["exact"]!);
        Assert.Equal(["accepted", "forgetting", "models-updated", "purged", "completed"], completed["transitions"]!.AsObject().Select(pair => pair.Key));
        var served = completed["shard_versions"]![ContractServer.Model]!.AsObject();
        Assert.Single(served); // user-affine placement: the user's records sit in one shard
        Assert.True((long)served.Single().Value! >= 2);
        Assert.True((double)completed["unlearn_latency_seconds"]! > 0);

        Assert.Contains(id, await ListedIds($"?model={ContractServer.Model}"));
        Assert.Contains(id, await ListedIds("?status=completed"));
        Assert.Contains(id, await ListedIds($"?model={ContractServer.Model}&status=completed&limit=1000"));
        Assert.DoesNotContain(id, await ListedIds("?model=another-model"));
        Assert.DoesNotContain(id, await ListedIds("?status=accepted"));
        Assert.Single((await http.GetJsonAsync("/v1/deletions?limit=1")).Items);
        Assert.All((await http.GetJsonAsync("/v1/deletions?status=completed")).Items, d => Assert.Equal("completed", (string?)d!["state"]));

        var entries = (await http.GetJsonAsync("/v1/audit?from=1&limit=1000")).Items;
        var kinds = entries.Where(e => (string?)e!["deletion_id"] == id && ((string)e["kind"]!).StartsWith("deletion.", StringComparison.Ordinal)).Select(e => (string?)e!["kind"]);
        Assert.Equal(["deletion.accepted", "deletion.forgetting", "deletion.models-updated", "deletion.purged", "deletion.completed"], kinds);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => (long)e!["sequence"]!));
        Assert.Equal(2, (await http.GetJsonAsync("/v1/audit?from=2&limit=2")).Items.Select(e => (long)e!["sequence"]!).First());
        var verified = (await http.GetJsonAsync("/v1/audit/verify")).Json;
        Assert.True((bool)verified["is_intact"]!, verified.ToJsonString());
        Assert.True((long)verified["entries_checked"]! >= entries.Count);
    }

    [Fact]
    public async Task An_idempotency_key_replays_its_request_and_refuses_a_different_one()
    {
        var key = "deletion-" + Guid.NewGuid();
        var first = await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-2"}""", Key, key);
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        var replayed = await http.PostJsonAsync("/v1/deletions", """{ "method": "sisa", "user_id": "user-2" }""", Key, key);
        Assert.Equal(HttpStatusCode.Accepted, replayed.Status);
        Assert.Equal(first.Headers.Location, replayed.Headers.Location);
        Assert.Equal(first.Json["id"]!.ToString(), replayed.Json["id"]!.ToString());
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());

        var reused = await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-3"}""", Key, key);
        AssertProblem(reused, HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        AssertProblem(await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-2","method":"fisher-scrub"}""", Key, key), HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync($"/v1/deletions/{DeletionId.ForUser(UserId.Parse("user-3"))}")).Status);

        // Requests racing under one key: one is carried out; the others replay it or are told it is in progress.
        var raceKey = "race-" + Guid.NewGuid();
        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => http.PostJsonAsync("/v1/deletions", """{"user_id":"user-7"}""", Key, raceKey)));
        Assert.All(racing, r => Assert.True(r.Status is HttpStatusCode.Accepted or HttpStatusCode.Conflict, r.ToString()));
        Assert.Single(racing, r => r.Status == HttpStatusCode.Accepted && !r.Headers.Contains("Idempotent-Replayed"));
        Assert.All(racing.Where(r => r.Status == HttpStatusCode.Conflict), r => AssertProblem(r, HttpStatusCode.Conflict, "Idempotency-Key"));
        Assert.Equal("true", (await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-7"}""", Key, raceKey)).Headers.GetValues("Idempotent-Replayed").Single());

        // The same key on another endpoint is another key; a model's replay answers with the model.
        var modelKey = key;
        var model = await http.PostJsonAsync("/v1/models", ContractServer.ModelBody, Key, modelKey);
        Assert.Equal(HttpStatusCode.Accepted, model.Status);
        var modelAgain = await http.PostJsonAsync("/v1/models", ContractServer.ModelBody, Key, modelKey);
        Assert.Equal((HttpStatusCode.Accepted, ContractServer.Model, "true"), (modelAgain.Status, (string?)modelAgain.Json["id"], modelAgain.Headers.GetValues("Idempotent-Replayed").Single()));
        AssertProblem(await http.PostJsonAsync("/v1/models", ApiCalls.ExplicitModel("m-other", 2, 5), Key, modelKey), HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetJsonAsync("/v1/models/m-other")).Status);

        // A request refused for its own fault leaves the key unused.
        var unusedKey = "unused-" + Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostJsonAsync("/v1/deletions", """{"user_id":"nobody"}""", Key, unusedKey)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-4"}""", Key, unusedKey)).Status);

        AssertProblem(await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-5"}""", Key, new string('k', 256)), HttpStatusCode.BadRequest, "Idempotency-Key");
        AssertProblem(await http.PostJsonAsync("/v1/deletions", """{"user_id":"user-5"}""", Key, "two words"), HttpStatusCode.BadRequest, "Idempotency-Key");
    }

    [Fact]
    public async Task Malformed_requests_are_4xx_problems_naming_the_field_and_change_nothing_stored()
    {
        await http.WaitForDeletionsFinishedAsync(TimeSpan.FromMinutes(2));
        var before = await StoreSnapshot.SettledDigestAsync(fixture.Server.Store, TimeSpan.FromMinutes(1));
        var model = ContractServer.Model;
        var cases = new (string Method, string Path, string? Body, HttpStatusCode Status, string? Field)[]
        {
            ("POST", "/v1/deletions", "", HttpStatusCode.BadRequest, "body"),
            ("POST", "/v1/deletions", "null", HttpStatusCode.BadRequest, "body"),
            ("POST", "/v1/deletions", "{", HttpStatusCode.BadRequest, "body"),
            ("POST", "/v1/deletions", "[]", HttpStatusCode.BadRequest, "body"),
            ("POST", "/v1/deletions", "{}", HttpStatusCode.BadRequest, "user_id"),
            ("POST", "/v1/deletions", """{"user_id":5}""", HttpStatusCode.BadRequest, "user_id"),
            ("POST", "/v1/deletions", """{"user_id":""}""", HttpStatusCode.BadRequest, "user_id"),
            ("POST", "/v1/deletions", $$"""{"user_id":"{{new string('u', 129)}}"}""", HttpStatusCode.BadRequest, "user_id"),
            ("POST", "/v1/deletions", """{"user_id":"user-6","x":1}""", HttpStatusCode.BadRequest, "x"),
            ("POST", "/v1/deletions", """{"user_id":"user-6","method":"nah"}""", HttpStatusCode.BadRequest, "method"),
            ("POST", "/v1/deletions", """{"user_id":"nobody"}""", HttpStatusCode.NotFound, null),
            ("POST", "/v1/models", """{"id":"Bad Id"}""", HttpStatusCode.BadRequest, "id"),
            ("POST", "/v1/models", """{"shards":3}""", HttpStatusCode.BadRequest, "id"),
            ("POST", "/v1/models", """{"id":"m9","shards":0}""", HttpStatusCode.BadRequest, "shards"),
            ("POST", "/v1/models", """{"id":"m9","shards":99999999999}""", HttpStatusCode.BadRequest, "shards"),
            ("POST", "/v1/models", """{"id":"m9","slices":-1}""", HttpStatusCode.BadRequest, "slices"),
            ("POST", "/v1/models", """{"id":"m9","placement":"zz"}""", HttpStatusCode.BadRequest, "placement"),
            ("POST", "/v1/models", """{"id":"m9","dataset":"cifar"}""", HttpStatusCode.BadRequest, "dataset"),
            ("POST", "/v1/models", """{"id":"m9","records":-5}""", HttpStatusCode.BadRequest, "records"),
            ("POST", "/v1/models", """{"id":"m9","ownership":{"kind":"explicit"}}""", HttpStatusCode.BadRequest, "ownership.owners"),
            ("POST", "/v1/models", """{"id":"m9","ownership":{"kind":"explicit","owners":{"a":[70000]}}}""", HttpStatusCode.BadRequest, "ownership.owners"),
            ("POST", "/v1/models", """{"id":"m9","ownership":{"kind":"zipf","users":0}}""", HttpStatusCode.BadRequest, "ownership.users"),
            ("POST", "/v1/models", """{"id":"m9","ownership":{"kind":"lottery"}}""", HttpStatusCode.BadRequest, "ownership.kind"),
            ("POST", "/v1/models", """{"id":"m1","records":10}""", HttpStatusCode.Conflict, null),
            ("POST", $"/v1/models/{model}/predict", "{}", HttpStatusCode.BadRequest, "inputs"),
            ("POST", $"/v1/models/{model}/predict", "", HttpStatusCode.BadRequest, "body"),
            ("POST", $"/v1/models/{model}/predict", """{"test_indices":[-1]}""", HttpStatusCode.BadRequest, "test_indices"),
            ("POST", $"/v1/models/{model}/predict", """{"test_indices":[10000]}""", HttpStatusCode.BadRequest, "test_indices"),
            ("POST", $"/v1/models/{model}/predict", """{"pixels":[[1,2]]}""", HttpStatusCode.BadRequest, "pixels"),
            ("POST", $"/v1/models/{model}/predict", """{"pixels":[null]}""", HttpStatusCode.BadRequest, "pixels"),
            ("POST", $"/v1/models/{model}/predict", """{"pixels":[[300]]}""", HttpStatusCode.BadRequest, "pixels"),
            ("POST", $"/v1/models/{model}/predict", """{"test_indices":"all"}""", HttpStatusCode.BadRequest, "test_indices"),
            ("POST", "/v1/models/nope/predict", """{"test_indices":[0]}""", HttpStatusCode.NotFound, null),
            ("POST", "/v1/models/NOPE/predict", """{"test_indices":[0]}""", HttpStatusCode.BadRequest, "id"),
            ("GET", "/v1/models/nope", null, HttpStatusCode.NotFound, null),
            ("GET", "/v1/models/Bad_Id", null, HttpStatusCode.BadRequest, "id"),
            ("GET", "/v1/deletions/nope", null, HttpStatusCode.BadRequest, "id"),
            ("GET", "/v1/deletions/d-000000000000000000000000", null, HttpStatusCode.NotFound, null),
            ("GET", "/v1/deletions?limit=abc", null, HttpStatusCode.BadRequest, "limit"),
            ("GET", "/v1/deletions?limit=0", null, HttpStatusCode.BadRequest, "limit"),
            ("GET", "/v1/deletions?limit=1001", null, HttpStatusCode.BadRequest, "limit"),
            ("GET", "/v1/deletions?status=bogus", null, HttpStatusCode.BadRequest, "status"),
            ("GET", "/v1/deletions?model=Not%20A%20Model", null, HttpStatusCode.BadRequest, "model"),
            ("GET", "/v1/audit?from=0", null, HttpStatusCode.BadRequest, "from"),
            ("GET", "/v1/audit?from=x", null, HttpStatusCode.BadRequest, "from"),
            ("GET", "/v1/audit?limit=99999999999", null, HttpStatusCode.BadRequest, "limit"),
        };

        foreach (var (method, path, body, status, field) in cases)
        {
            var response = await http.SendJsonAsync(new HttpMethod(method), path, body, Key);
            AssertProblem(response, status, field, $"{method} {path} {body}");
        }

        var notJson = await http.SendJsonAsync(HttpMethod.Post, "/v1/deletions", """{"user_id":"user-6"}""", Key, contentType: "text/plain");
        AssertProblem(notJson, HttpStatusCode.UnsupportedMediaType, field: null);

        Assert.Equal(before, await StoreSnapshot.DigestAsync(fixture.Server.Store));
    }

    [Fact]
    public async Task Metrics_after_deletions_pass_promtool_and_count_each_completed_deletion_once()
    {
        foreach (var user in new[] { "user-10", "user-11", "user-12", "user-13", "user-14" })
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostJsonAsync("/v1/deletions", $$"""{"user_id":"{{user}}"}""", Key)).Status);
        var deletions = await http.WaitForDeletionsFinishedAsync(TimeSpan.FromMinutes(2));
        var completed = deletions.Count(d => (string?)d!["state"] == "completed");
        Assert.Equal(deletions.Count, completed);

        var scrape = await http.GetJsonAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.Status);
        var text = scrape.Text;
        var promtool = await Promtool.CheckMetricsAsync(text);
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics: {promtool.Output}");

        var families = PrometheusText.Families(text).Where(f => f.Key.StartsWith("lethe_", StringComparison.Ordinal)).ToDictionary();
        Assert.Equal(new Dictionary<string, string>
        {
            ["lethe_deletion_queue_depth"] = "gauge",
            ["lethe_deletions_total"] = "counter",
            ["lethe_replayed_samples_total"] = "counter",
            ["lethe_shard_replay_duration_seconds"] = "histogram",
            ["lethe_unlearn_duration_seconds"] = "histogram",
        }, families);

        Assert.Equal(completed, PrometheusText.Sum(text, "lethe_unlearn_duration_seconds_count"));
        Assert.Equal(completed, PrometheusText.Sum(text, "lethe_deletions_total", ("outcome", "completed")));
        Assert.Equal(completed, PrometheusText.Sum(text, "lethe_deletions_total", ("outcome", "accepted")));
        Assert.Equal(completed, PrometheusText.Sum(text, "lethe_unlearn_duration_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(0, PrometheusText.Sum(text, "lethe_deletion_queue_depth"));
        Assert.True(PrometheusText.Sum(text, "lethe_replayed_samples_total") > 0);
        Assert.Contains("lethe_unlearn_duration_seconds_bucket{otel_scope_name=\"Lethe\",method=\"sisa\",le=\"0.05\"}", text, StringComparison.Ordinal);
        Assert.Contains("lethe_unlearn_duration_seconds_bucket{otel_scope_name=\"Lethe\",method=\"sisa\",le=\"1800\"}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("user-", text, StringComparison.Ordinal); // no user id in any label
        Assert.Contains("orleans_app_requests_latency_seconds_bucket", text, StringComparison.Ordinal); // Orleans' own, in seconds
    }

    private async Task<List<string?>> ListedIds(string query) =>
        [.. (await http.GetJsonAsync("/v1/deletions" + query)).Items.Select(d => (string?)d!["id"])];

    private static IEnumerable<string?> Parameters(JsonNode operation) =>
        operation["parameters"]?.AsArray().Select(p => (string?)p!["name"]) ?? [];

    private static void AssertProblem(ApiCalls.Response response, HttpStatusCode status, string? field, string? request = null)
    {
        var what = $"{request} -> {response}";
        Assert.True(response.Status == status, $"expected {(int)status}: {what}");
        Assert.True(response.Body is JsonObject, $"not problem details: {what}");
        Assert.Equal((int)status, (int)response.Json["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)response.Json["title"]), what);
        Assert.True(field == (string?)response.Json["field"], $"expected field {field ?? "none"}: {what}");
        Assert.DoesNotContain("Lethe.", response.Text, StringComparison.Ordinal); // no .NET type names
    }
}
