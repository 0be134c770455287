using System.Text;
using Lethe.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Lethe.Silo.Tests.Storage;

/// <summary>The embedded default: grain state and reminders on one SQLite file, through real silos.</summary>
[Collection(StoreSilos.Name)]
public sealed class SqliteStoreTests : IDisposable
{
    private readonly StoreFolder folder = new("lethe-sqlite-store-");

    private string DatabasePath => folder.File("store", "lethe.db");

    private readonly string serviceId = "sqlite-" + Guid.NewGuid().ToString("N");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Grain_state_round_trips_through_the_file_and_survives_a_silo_restart()
    {
        await using (var cluster = await StoreClusters.StartInProcessAsync(StoreClusters.Sqlite(DatabasePath), serviceId))
        {
            var grain = cluster.Client.GetGrain<ITextGrain>("alice");
            Assert.Null(await grain.GetAsync());
            await grain.SetAsync("first");
            await grain.SetAsync("second");
            Assert.Equal("second", await grain.GetAsync());
        }

        await using (var restarted = await StoreClusters.StartInProcessAsync(StoreClusters.Sqlite(DatabasePath), serviceId))
        {
            Assert.Equal("second", await restarted.Client.GetGrain<ITextGrain>("alice").GetAsync());
        }

        await using var file = RawSql.Sqlite(DatabasePath);
        Assert.Equal(2L, await RawSql.ScalarAsync(file, "SELECT version FROM orleans_storage WHERE service_id = @s", ("s", serviceId)));
    }

    [Fact]
    public async Task A_stale_etag_fails_loudly_and_leaves_the_stored_state_as_it_was()
    {
        await using var cluster = await StoreClusters.StartInProcessAsync(StoreClusters.Sqlite(DatabasePath), serviceId);
        var grain = cluster.Client.GetGrain<ITextGrain>("bob");
        await grain.SetAsync("kept");

        await using var file = RawSql.Sqlite(DatabasePath);
        // Another writer moved the row on: the activation's ETag (version 1) is now stale.
        await RawSql.ExecuteAsync(file, "UPDATE orleans_storage SET version = 7 WHERE service_id = @s", ("s", serviceId));
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetAsync("lost"));
        Assert.Equal(7L, await RawSql.ScalarAsync(file, "SELECT version FROM orleans_storage WHERE service_id = @s", ("s", serviceId)));
        var payload = (byte[])(await RawSql.ScalarAsync(file, "SELECT payload_binary FROM orleans_storage WHERE service_id = @s", ("s", serviceId)))!;
        Assert.True(Contains(payload, "kept"));
        Assert.False(Contains(payload, "lost"));

        // A first write (no ETag) for a grain that already has a row is stale too, and so is a clear.
        var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StoreOptions.GrainStorageName);
        var grainId = grain.GetGrainId();
        var fresh = new GrainState<TextState>(new TextState { Text = "intruder" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("text", grainId, fresh));
        var stale = new GrainState<TextState>(new TextState()) { ETag = "1", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("text", grainId, stale));
        Assert.Equal(7L, await RawSql.ScalarAsync(file, "SELECT version FROM orleans_storage WHERE service_id = @s", ("s", serviceId)));
    }

    [Fact]
    public async Task Cleared_state_leaves_none_of_its_bytes_in_the_file()
    {
        var small = "forget-me-" + Guid.NewGuid().ToString("N");
        var large = string.Concat(Enumerable.Repeat("erase-" + Guid.NewGuid().ToString("N") + ";", 4000)); // overflow pages (156 KB on 64 KB pages)
        await using var cluster = await StoreClusters.StartInProcessAsync(StoreClusters.Sqlite(DatabasePath), serviceId);
        var keep = cluster.Client.GetGrain<ITextGrain>("keep");
        var smallGrain = cluster.Client.GetGrain<ITextGrain>("small");
        var largeGrain = cluster.Client.GetGrain<ITextGrain>("large");
        await keep.SetAsync("still here");
        await smallGrain.SetAsync(small);
        await largeGrain.SetAsync(large);
        Assert.True(FileHolds(small));
        Assert.True(FileHolds(large[..60]));
        await using (var file = RawSql.Sqlite(DatabasePath))
        {
            Assert.Equal(65536L, await RawSql.ScalarAsync(file, "PRAGMA page_size")); // a new file's pages: a shard's checkpoints are megabytes
            Assert.True((long)(await RawSql.ScalarAsync(file, "SELECT length(payload_binary) FROM orleans_storage WHERE grain_id_extension_string = 'large'"))! > 65536);
        }

        await smallGrain.ClearAsync();
        await largeGrain.ClearAsync();

        Assert.Null(await smallGrain.GetAsync());
        Assert.False(FileHolds(small), "a cleared state's bytes are still in the SQLite file");
        Assert.False(FileHolds(large[..60]), "a cleared state's overflow pages are still in the SQLite file");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!, "*-wal"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!, "*-journal"));
        Assert.True(FileHolds("still here"));
    }

    [Fact]
    public async Task A_reminder_fires_and_fires_again_after_a_silo_restart()
    {
        var key = "sqlite-reminder-" + Guid.NewGuid().ToString("N");
        await using (var cluster = await StoreClusters.StartInProcessAsync(StoreClusters.Sqlite(DatabasePath), serviceId))
        {
            await cluster.Client.GetGrain<IReminderProbeGrain>(key).StartAsync(TimeSpan.FromSeconds(1), StoreClusters.ReminderPeriod);
            Assert.True(await ReminderTicks.WaitForTickAfterAsync(key, 0, TimeSpan.FromSeconds(20)), "the reminder never fired");
        }
        var before = ReminderTicks.Count(key);

        await using (var restarted = await StoreClusters.StartInProcessAsync(StoreClusters.Sqlite(DatabasePath), serviceId))
        {
            // Nothing calls the grain: the reminder service reads the reminder from the file and activates it.
            Assert.True(await ReminderTicks.WaitForTickAfterAsync(key, before, TimeSpan.FromSeconds(30)), "the reminder did not survive the restart");
            await restarted.Client.GetGrain<IReminderProbeGrain>(key).StopAsync();
        }

        await using var file = RawSql.Sqlite(DatabasePath);
        Assert.Equal(0L, await RawSql.ScalarAsync(file, "SELECT COUNT(*) FROM orleans_reminders WHERE service_id = @s", ("s", serviceId)));
    }

    private bool FileHolds(string text)
    {
        using var stream = new FileStream(DatabasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Contains(copy.ToArray(), text);
    }

    private static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
