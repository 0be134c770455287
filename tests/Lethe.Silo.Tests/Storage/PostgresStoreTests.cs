using Lethe.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Lethe.Silo.Tests.Storage;

/// <summary>The cluster store: membership, grain state and reminders on PostgreSQL, through real silos.</summary>
[Collection(StoreSilos.Name)]
public sealed class PostgresStoreTests
{
    [Fact]
    public async Task Three_silos_form_a_cluster_over_PostgreSQL_and_state_and_reminders_survive_a_full_restart()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var serviceId = "pg-" + Guid.NewGuid().ToString("N");
        var reminderKey = "pg-reminder-" + Guid.NewGuid().ToString("N");
        int ticksBefore;
        string firstClusterId;

        // MigrateOnStart: the three silos migrate the empty database at once (one applies, two wait and skip).
        await using (var cluster = await StoreClusters.StartOnPostgresMembershipAsync(database, serviceId, silos: 3))
        {
            firstClusterId = cluster.Options.ClusterId;
            var management = cluster.Client.GetGrain<IManagementGrain>(0);
            Assert.Equal(3, (await management.GetHosts(onlyActive: true)).Count);
            await using (var sql = RawSql.Postgres(database))
            {
                Assert.Equal(3L, await RawSql.ScalarAsync(sql, "SELECT COUNT(*) FROM orleans_membership WHERE status = 3"));
                Assert.Equal(3L, await RawSql.ScalarAsync(sql, "SELECT COUNT(*) FROM orleans_membership WHERE status = 3 AND proxy_port > 0"));
            }

            var grain = cluster.Client.GetGrain<ITextGrain>("carol");
            await grain.SetAsync("on postgres");
            Assert.Equal("on postgres", await grain.GetAsync());

            await cluster.Client.GetGrain<IReminderProbeGrain>(reminderKey).StartAsync(TimeSpan.FromSeconds(1), StoreClusters.ReminderPeriod);
            Assert.True(await ReminderTicks.WaitForTickAfterAsync(reminderKey, 0, TimeSpan.FromSeconds(30)), "the reminder never fired");
            ticksBefore = ReminderTicks.Count(reminderKey);
        }

        await using (var restarted = await StoreClusters.StartOnPostgresMembershipAsync(database, serviceId, silos: 1))
        {
            Assert.True(await ReminderTicks.WaitForTickAfterAsync(reminderKey, ticksBefore, TimeSpan.FromSeconds(30)), "the reminder did not survive the restart");
            Assert.Equal("on postgres", await restarted.Client.GetGrain<ITextGrain>("carol").GetAsync());
            await restarted.Client.GetGrain<IReminderProbeGrain>(reminderKey).StopAsync();
        }

        await using var check = RawSql.Postgres(database);
        Assert.Equal(0L, await RawSql.ScalarAsync(check, "SELECT COUNT(*) FROM orleans_reminders WHERE service_id = @s", ("s", serviceId)));
        Assert.Equal(1L, await RawSql.ScalarAsync(check, "SELECT COUNT(*) FROM lethe_schema_version WHERE version = 1"));

        // The stopped silos were declared dead; the defunct-silo cleanup (run hourly by Orleans) removes them.
        Assert.Equal(3L, await RawSql.ScalarAsync(check, "SELECT COUNT(*) FROM orleans_membership WHERE deployment_id = @d AND status = 6", ("d", firstClusterId)));
        var cleanup = (string)(await RawSql.ScalarAsync(check, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntriesKey'"))!;
        Assert.Equal(3, await RawSql.ExecuteAsync(check, cleanup, ("DeploymentId", firstClusterId), ("IAmAliveTime", DateTime.UtcNow.AddMinutes(1))));
        Assert.Equal(1L, await RawSql.ScalarAsync(check, "SELECT COUNT(*) FROM orleans_membership_version WHERE deployment_id = @d", ("d", firstClusterId)));
    }

    [Fact]
    public async Task A_stale_etag_fails_loudly_on_PostgreSQL_and_leaves_the_stored_state_as_it_was()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var serviceId = "pg-" + Guid.NewGuid().ToString("N");
        await using var cluster = await StoreClusters.StartInProcessAsync(StoreClusters.Postgres(database), serviceId);
        var grain = cluster.Client.GetGrain<ITextGrain>("dave");
        await grain.SetAsync("kept");

        await using var sql = RawSql.Postgres(database);
        await RawSql.ExecuteAsync(sql, "UPDATE orleans_storage SET version = 7 WHERE service_id = @s", ("s", serviceId));
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetAsync("lost"));

        var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StoreOptions.GrainStorageName);
        var fresh = new GrainState<TextState>(new TextState { Text = "intruder" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("text", grain.GetGrainId(), fresh));

        Assert.Equal(7, await RawSql.ScalarAsync(sql, "SELECT version FROM orleans_storage WHERE service_id = @s", ("s", serviceId)));
        var current = new GrainState<TextState>(new TextState());
        await storage.ReadStateAsync("text", grain.GetGrainId(), current);
        Assert.Equal(("kept", "7"), (current.State?.Text, current.ETag));
    }
}
