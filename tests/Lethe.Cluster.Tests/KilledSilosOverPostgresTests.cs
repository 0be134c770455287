using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lethe.Grains;
using Xunit.Abstractions;

namespace Lethe.Cluster.Tests;

/// <summary>
/// Three `lethe serve` silos over one PostgreSQL of the test's own. Deletions keep arriving at any silo while the silo
/// that hosts a replaying shard is killed (SIGKILL) and started again on its ports, 20 times; half-way PostgreSQL
/// stops and starts again. Every accepted deletion completes once and exactly; requests during the outage are refused.
/// </summary>
[Collection(ServerProcesses.Name)]
public sealed class KilledSilosOverPostgresTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;
    private const int Silos = 3;

    // Three shards of 3,000 records, three slices, 4 epochs a stage: replays of about a second, long enough to be caught running.
    private static readonly ModelSpec Spec = new("mnist", 9_000, 3, 3, Placement.UserAffine, 11, 4, new OwnershipSpec(OwnershipKind.Zipf, 150, 1.1, null));
    private readonly string folder = Directory.CreateTempSubdirectory("lethe-chaos-").FullName;
    private readonly LetheServer?[] silos = new LetheServer?[Silos];
    private readonly ConcurrentDictionary<string, string> accepted = new();
    private readonly SemaphoreSlim submitting = new(1, 1);
    private int nextSilo;

    public void Dispose()
    {
        submitting.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Twenty_kills_of_the_silo_replaying_and_a_postgresql_restart_lose_no_deletion_and_apply_none_twice()
    {
        var model = new ProcessModel("chaos", Spec);
        await using var postgres = await OwnPostgres.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["Lethe__Store__Provider"] = "postgres",
            ["Lethe__Store__ConnectionString"] = postgres.ConnectionString,
            ["Lethe__Store__MigrateOnStart"] = "true",
            ["Lethe__Silo__AdvertisedAddress"] = "127.0.0.1",
        };
        try
        {
            for (var i = 0; i < Silos; i++)
                silos[i] = await LetheServer.StartAsync(Path.Combine(folder, "unused.db"), new Dictionary<string, string>(environment) { ["Lethe__Silo__Name"] = SiloName(i) });
            await Live().PostAsync("/v1/models", model.Request());
            await Live().UntilAsync(model.Path, m => (string)m["state"]! == "ready", TimeSpan.FromMinutes(3));

            // The users in a seeded order; those refused during the outage are asked for again after it.
            var order = model.Users.Keys.Order(StringComparer.Ordinal).ToArray();
            new Random(11).Shuffle(order);
            var users = new ConcurrentQueue<string>(order.Take(90));
            using var stop = new CancellationTokenSource();
            var producer = Task.Run(() => Produce(users, stop.Token));
            var clock = Stopwatch.StartNew();
            for (var kill = 1; kill <= Kills; kill++)
            {
                if (kill == Kills / 2 + 1) await Outage(postgres, users);
                var (shard, silo) = await ReplayingShard(model);
                silos[silo] = await silos[silo]!.KillAndRestartAsync();
                output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: kill {kill}: {SiloName(silo)}, which was replaying shard {shard}; {accepted.Count} deletions accepted");
            }

            await stop.CancelAsync();
            await producer;

            output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: {accepted.Count} deletions accepted; waiting for them to complete");
            var server = Live();
            await ProcessModel.AssertCompletedExactlyAsync(server, accepted.Values, TimeSpan.FromMinutes(4));
            output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: all completed");
            await model.AssertServesFromScratchWithoutAsync(server, accepted.Keys);
            await ProcessModel.AssertEachStepAuditedOnceAsync(server, accepted.Values);
        }
        finally
        {
            foreach (var silo in silos)
                if (silo is not null) await silo.DisposeAsync();
        }
    }

    // One deletion every second, until stopped.
    private async Task Produce(ConcurrentQueue<string> users, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && users.TryDequeue(out var user))
        {
            await submitting.WaitAsync(CancellationToken.None);
            try
            {
                await SubmitUntilAccepted(user);
            }
            finally
            {
                submitting.Release();
            }

            await Task.Delay(1_000, CancellationToken.None);
        }
    }

    // Each attempt to the next silo; one that could not answer (killed, restarting, its store away) is asked again.
    private async Task SubmitUntilAccepted(string user)
    {
        for (var attempt = 0; !accepted.ContainsKey(user); attempt++)
        {
            Assert.True(attempt < 120, $"{user}'s deletion was refused 120 times");
            var silo = silos[nextSilo++ % Silos]!;
            try
            {
                using var response = await silo.Http.PostAsJsonAsync("/v1/deletions", new { user_id = user });
                if (response.StatusCode == HttpStatusCode.Accepted)
                    accepted[user] = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
                else
                    Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException)
            {
                // Whether the silo took the request is unknown; asking again is safe (the same user is the same deletion).
            }

            if (!accepted.ContainsKey(user)) await Task.Delay(250);
        }
    }

    // PostgreSQL stops at once: each silo refuses a deletion with a 503 problem (nothing stored); then it comes back.
    private async Task Outage(OwnPostgres postgres, ConcurrentQueue<string> users)
    {
        await submitting.WaitAsync();
        try
        {
            await postgres.StopAsync();
            var refused = new List<string>();
            foreach (var silo in silos)
            {
                Assert.True(users.TryDequeue(out var user));
                using var response = await silo!.Http.PostAsJsonAsync("/v1/deletions", new { user_id = user });
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                refused.Add(user!);
            }

            output.WriteLine($"PostgreSQL stopped: {refused.Count} deletions refused with 503");
            await postgres.ResumeAsync();

            // Refused, so never stored: unknown to the cluster until asked again, and then accepted.
            foreach (var user in refused)
            {
                Assert.Equal(HttpStatusCode.NotFound, await Live().AnsweredStatusAsync($"/v1/deletions/{DeletionId.ForUser(UserId.Parse(user)).Value}", TimeSpan.FromMinutes(1)));
                await SubmitUntilAccepted(user);
            }
        }
        finally
        {
            submitting.Release();
        }
    }

    // The shard being replayed and the silo it runs on, as a live silo reports them.
    private async Task<(int Shard, int Silo)> ReplayingShard(ProcessModel model)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await Live().GetAsync(model.Path);
                foreach (var shard in status["shards"]!.AsArray())
                    if ((bool)shard!["updating"]! && Array.IndexOf(Names, (string)shard["silo"]!) is >= 0 and var silo) return ((int)shard["index"]!, silo);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException or Xunit.Sdk.XunitException)
            {
                // A silo restarting, or a shard's activation moving: ask again.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No shard was replaying for two minutes.");
    }

    private LetheServer Live() => silos[Random.Shared.Next(Silos)]!;

    private static readonly string[] Names = [.. Enumerable.Range(0, Silos).Select(SiloName)];

    private static string SiloName(int index) => $"silo-{index}";
}
