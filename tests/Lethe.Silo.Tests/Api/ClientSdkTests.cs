using Lethe.Client;
using Lethe.Grains;
using Lethe.Silo.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lethe.Silo.Tests.Api;

/// <summary>The SDK in a process of its own, reaching a real <c>lethe serve</c> through the Orleans gateway on loopback.</summary>
[Collection(StoreSilos.Name)]
public sealed class ClientSdkTests : IAsyncLifetime, IDisposable
{
    private static readonly ModelId Model = ModelId.Parse("sdk");
    private readonly StoreFolder folder = new("lethe-sdk-");
    private LetheServer server = null!;
    private IHost host = null!;

    private ILetheClient Client => host.Services.GetRequiredService<ILetheClient>();

    public async Task InitializeAsync()
    {
        server = await LetheServer.StartAsync(folder.File("lethe.db"));
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddLetheClient(options => options.GatewayPort = server.GatewayPort);
        host = builder.Build();
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await server.DisposeAsync();
        folder.Dispose();
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task The_sdk_creates_a_model_forgets_a_user_waits_for_it_and_predicts()
    {
        var owners = Enumerable.Range(0, 10).ToDictionary(u => $"sdk-user-{u}", u => Enumerable.Range(u * 30, 30).ToArray());
        var spec = new ModelSpec("mnist", 3000, 3, 3, Placement.UserAffine, 7, 2, new OwnershipSpec(OwnershipKind.Explicit, 0, 0, owners));

        var created = await Client.CreateModelAsync(Model, spec);
        Assert.Equal((Model.Value, ModelState.Training), (created.Id, created.State));
        Assert.Equal(Model.Value, (await Client.CreateModelAsync(Model, spec)).Id); // the same spec again: its status
        var conflict = await Assert.ThrowsAsync<LetheException>(() => Client.CreateModelAsync(Model, spec with { Seed = 8 }));
        Assert.Equal(LetheErrorKind.Conflict, conflict.Kind);
        var invalid = await Assert.ThrowsAsync<LetheException>(() => Client.CreateModelAsync(ModelId.Parse("sdk-bad"), spec with { Shards = 0 }));
        Assert.Equal((LetheErrorKind.Invalid, "shards"), (invalid.Kind, invalid.Field));

        var ready = await WaitForReadyAsync();
        Assert.Equal(3000, ready.Shards.Sum(s => s.Records));
        Assert.True(ready.TestAccuracy > 0.7);

        var user = UserId.Parse("sdk-user-3");
        var accepted = await Client.SubmitDeletionAsync(user);
        Assert.Equal((DeletionId.ForUser(user).Value, 30, UnlearningMethod.Sisa), (accepted.Id, accepted.Records, accepted.Method));
        Assert.True(accepted.State >= DeletionState.Accepted && accepted.State != DeletionState.Failed);

        var done = await Client.WaitForDeletionAsync(DeletionId.ForUser(user), DeletionState.Completed, TimeSpan.FromMinutes(2));
        Assert.Equal(DeletionState.Completed, done.State);
        Assert.True(done.Exact);
        var read = await Client.GetDeletionAsync(DeletionId.ForUser(user));
        Assert.Equal((done.Id, DeletionState.Completed, true), (read!.Id, read.State, read.Exact));
        var after = await Client.GetModelAsync(Model);
        Assert.Equal(3000 - 30, after.Shards.Sum(s => s.Records));
        var shard = Assert.Single(done.ShardVersions[Model.Value]);
        Assert.Equal(shard.Value, after.Shards[shard.Key].Version);

        var prediction = await Client.PredictAsync(Model, new PredictionRequest([.. Enumerable.Range(0, 100)], null));
        Assert.Equal((10, 100, 1000), (prediction.Classes, prediction.Predictions.Length, prediction.Probabilities.Length));
        Assert.Equal(shard.Value, prediction.ShardVersions[shard.Key]);
    }

    [Fact]
    public async Task Unknown_ids_timeouts_and_cancellation_reach_the_caller_as_such()
    {
        var nobody = DeletionId.ForUser(UserId.Parse("nobody"));
        Assert.Null(await Client.GetDeletionAsync(nobody));
        Assert.Equal(LetheErrorKind.NotFound, (await Assert.ThrowsAsync<LetheException>(() => Client.WaitForDeletionAsync(nobody, DeletionState.Completed, TimeSpan.FromSeconds(10)))).Kind);
        Assert.Equal(LetheErrorKind.NotFound, (await Assert.ThrowsAsync<LetheException>(() => Client.SubmitDeletionAsync(UserId.Parse("nobody")))).Kind);
        Assert.Equal(LetheErrorKind.NotFound, (await Assert.ThrowsAsync<LetheException>(() => Client.GetModelAsync(ModelId.Parse("no-such-model")))).Kind);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.GetModelAsync(Model, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.WaitForDeletionAsync(nobody, DeletionState.Completed, TimeSpan.FromMinutes(1), cancelled.Token));

        var owners = new Dictionary<string, int[]> { ["slow-user"] = [.. Enumerable.Range(0, 50)] };
        await Client.CreateModelAsync(ModelId.Parse("sdk-timeouts"), new ModelSpec("mnist", 2000, 2, 2, Placement.UserAffine, 1, 2, new OwnershipSpec(OwnershipKind.Explicit, 0, 0, owners)));
        var status = await WaitForReadyAsync(ModelId.Parse("sdk-timeouts"));
        Assert.Equal(ModelState.Ready, status.State);
        var deletion = DeletionId.ForUser(UserId.Parse("slow-user"));
        await Client.SubmitDeletionAsync(UserId.Parse("slow-user"));
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => Client.WaitForDeletionAsync(deletion, DeletionState.Completed, TimeSpan.FromMilliseconds(1)));
        Assert.Contains(deletion.Value, timeout.Message, StringComparison.Ordinal);
        Assert.Equal(DeletionState.Completed, (await Client.WaitForDeletionAsync(deletion, DeletionState.Completed, Timeout.InfiniteTimeSpan)).State);
    }

    private async Task<ModelStatus> WaitForReadyAsync(ModelId? model = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = await Client.GetModelAsync(model ?? Model);
            if (status.State != ModelState.Training || clock.Elapsed > TimeSpan.FromMinutes(2)) return status;
            await Task.Delay(250);
        }
    }
}
