using System.Net.Http.Json;
using System.Text.Json;
using Lethe.Grains;
using Lethe.Silo.Api;

namespace Lethe.Silo.Bench.Cluster;

/// <summary>The HTTP API v1 as the benchmark drives it: models created and awaited, deletions submitted and followed.
/// Each request goes to the next silo in turn, so a deletion is submitted to one silo and followed on others.</summary>
internal sealed class ClusterApi(IReadOnlyList<HttpClient> silos)
{
    private static readonly JsonSerializerOptions Json = CreateOptions();
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100); // the SDK's first wait; the latencies come from the deletions' own timestamps
    private int next;

    public async Task Train(string model, ModelSpec spec, Action<string> log, CancellationToken cancellationToken)
    {
        var body = new
        {
            id = model, dataset = spec.Dataset, records = spec.Records, shards = spec.Shards, slices = spec.Slices, placement = spec.Placement, seed = spec.Seed,
            epochs_per_stage = spec.EpochsPerStage, ownership = Ownership(spec.Ownership),
        };
        using var response = await Next().PostAsJsonAsync("/v1/models", body, Json, cancellationToken);
        await Ensure(response, cancellationToken);
        log($"{model}: training {spec.Shards} shards");
        while (true)
        {
            var status = await Model(model, cancellationToken);
            if (status.State == ModelState.Failed) throw new InvalidOperationException($"{model}: training failed: {status.FailureReason}");
            if (status.State == ModelState.Ready) return;
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static object Ownership(OwnershipSpec ownership) => ownership.Kind == OwnershipKind.Explicit
        ? new { kind = ownership.Kind, owners = ownership.Owners }
        : new { kind = ownership.Kind, users = ownership.Users, exponent = ownership.Exponent };

    public async Task<ModelStatus> Model(string model, CancellationToken cancellationToken) =>
        (await Next().GetFromJsonAsync<ModelStatus>($"/v1/models/{model}", Json, cancellationToken))!;

    public async Task<DeletionStatus> Submit(string user, UnlearningMethod method, CancellationToken cancellationToken)
    {
        using var response = await Next().PostAsJsonAsync("/v1/deletions", new { user_id = user, method = method.ToName() }, Json, cancellationToken);
        await Ensure(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<DeletionStatus>(Json, cancellationToken))!;
    }

    /// <summary>Polls the deletion until it has reached <paramref name="state"/> (or a later step), failing if it fails.</summary>
    /// <summary>Polls the deletion until it has reached <paramref name="state"/> (latencies come from its own timestamps,
    /// so the interval only sets how soon this returns, and how much load the polling adds).</summary>
    public async Task<DeletionStatus> WaitFor(string deletion, DeletionState state, CancellationToken cancellationToken, TimeSpan? every = null)
    {
        while (true)
        {
            var status = (await Next().GetFromJsonAsync<DeletionStatus>($"/v1/deletions/{deletion}", Json, cancellationToken))!;
            if (status.State == DeletionState.Failed) throw new InvalidOperationException($"Deletion {deletion} failed: {status.FailureReason}");
            if (status.Transitions.ContainsKey(state)) return status;
            await Task.Delay(every ?? Poll, cancellationToken);
        }
    }

    public async Task<DeletionStatus> Forget(string user, UnlearningMethod method, DeletionState until, CancellationToken cancellationToken) =>
        await WaitFor((await Submit(user, method, cancellationToken)).Id, until, cancellationToken);

    private HttpClient Next() => silos[(int)((uint)Interlocked.Increment(ref next) % silos.Count)];

    private static async Task Ensure(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        ApiJson.Configure(options);
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        return options;
    }
}
