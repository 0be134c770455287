using System.Data.Common;
using Lethe.Grains.Audit;
using Lethe.Silo.Storage;
using Lethe.Silo.Storage.Audit;
using Lethe.Silo.Storage.Schema;

namespace Lethe.Silo.Tests.Storage;

/// <summary>The audit log in both stores: append-only, read back as written, and every altered byte found.</summary>
public sealed class AuditStoreTests : IDisposable
{
    private readonly StoreFolder folder = new("lethe-audit-");

    public static TheoryData<string> Providers => new() { "sqlite", "postgres" };

    public void Dispose() => folder.Dispose();

    [Theory, MemberData(nameof(Providers))]
    public async Task Entries_read_back_as_appended_and_a_taken_sequence_is_refused_with_its_whole_batch(string provider)
    {
        await using var database = await OpenMigratedAsync(provider);
        var store = new AuditLogStore(database);
        Assert.Null(await store.ReadLastAsync());
        var entries = await AppendChainAsync(store, 5);

        Assert.Equal(entries, await store.ReadRangeAsync(1, 10));
        Assert.Equal(entries[1..3], await store.ReadRangeAsync(2, 2));
        Assert.Equal(entries[^1], await store.ReadLastAsync());

        var impostor = AuditChain.Next(entries[1], DateTimeOffset.UtcNow, "Forged", "model-x", null, "{}");
        var refused = await Assert.ThrowsAsync<DuplicateAuditSequenceException>(() => store.AppendAsync([impostor]));
        Assert.Equal(3, refused.Sequence);
        Assert.Equal(entries[2], (await store.ReadRangeAsync(3, 1))[0]);
        Assert.True((await AuditChain.VerifyAsync(store, pageSize: 2)).IsIntact);

        // A batch is one transaction: its second entry's number is taken, so its first is not kept either.
        var sixth = AuditChain.Next(entries[^1], DateTimeOffset.UtcNow, "Accepted", "model-x", "d-6", "{}");
        var taken = await Assert.ThrowsAsync<DuplicateAuditSequenceException>(() => store.AppendAsync([sixth, impostor]));
        Assert.Equal(3, taken.Sequence);
        Assert.Equal(entries[^1], await store.ReadLastAsync());
        var seventh = AuditChain.Next(sixth, DateTimeOffset.UtcNow, "ModelsUpdated", "model-x", "d-6", "{}");
        await store.AppendAsync([sixth, seventh]);
        Assert.Equal([sixth, seventh], await store.ReadRangeAsync(6, 10));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_store_refuses_to_change_or_remove_an_entry(string provider)
    {
        await using var database = await OpenMigratedAsync(provider);
        var store = new AuditLogStore(database);
        await AppendChainAsync(store, 2);
        await using var sql = RawSql.Beside(database);

        var update = await Assert.ThrowsAnyAsync<DbException>(() => RawSql.ExecuteAsync(sql, "UPDATE lethe_audit_log SET kind = 'Nothing' WHERE sequence = 1"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<DbException>(() => RawSql.ExecuteAsync(sql, "DELETE FROM lethe_audit_log WHERE sequence = 2"));
        Assert.True((await AuditChain.VerifyAsync(store)).IsIntact);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_flipped_byte_in_any_stored_entry_is_found_and_named(string provider)
    {
        await using var database = await OpenMigratedAsync(provider);
        var store = new AuditLogStore(database);
        var entries = await AppendChainAsync(store, 6);
        await using var sql = RawSql.Beside(database);
        await AllowTamperingAsync(sql, provider);
        string[] columns = ["kind", "model_id", "deletion_request_id", "payload_json", "previous_hash", "hash", "recorded_at"];

        foreach (var entry in entries)
        {
            foreach (var column in columns)
            {
                if (column == "deletion_request_id" && entry.DeletionRequestId is null) continue;
                await FlipAsync(sql, entry.Sequence, column);
                var tampered = await AuditChain.VerifyAsync(store, pageSize: 4);
                Assert.False(tampered.IsIntact, $"a flipped byte in {column} of entry {entry.Sequence} went unnoticed");
                Assert.Equal(entry.Sequence, tampered.FirstBrokenSequence);
                Assert.Equal(entry.Sequence - 1, tampered.EntriesChecked);
                await FlipAsync(sql, entry.Sequence, column); // flips back
                Assert.True((await AuditChain.VerifyAsync(store, pageSize: 4)).IsIntact);
            }
        }

        await RawSql.ExecuteAsync(sql, "DELETE FROM lethe_audit_log WHERE sequence = 4");
        var gap = await AuditChain.VerifyAsync(store, pageSize: 4);
        Assert.Equal(4, gap.FirstBrokenSequence);
        Assert.Contains("missing", gap.Problem, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_latest_deletion_entry_of_each_request_is_listed_by_model_and_kind_newest_first(string provider)
    {
        await using var database = await OpenMigratedAsync(provider);
        var store = new AuditLogStore(database);
        AuditEntry? last = null;
        async Task Append(string kind, string model, string? deletion)
        {
            last = AuditChain.Next(last, DateTimeOffset.UtcNow, kind, model, deletion, "{}");
            await store.AppendAsync([last]);
        }

        await Append("model.created", "m-1", null);
        await Append("deletion.accepted", "m-1", "d-a");
        await Append("deletion.accepted", "m-1,m_2", "d-b");
        await Append("deletion.forgetting", "m-1", "d-a");
        await Append("shard.replay", "m-1", null);
        await Append("deletion.accepted", "mx2", "d-c");
        await Append("deletion.forgetting", "m-1,m_2", "d-b");
        await Append("deletion.models-updated", "m-1", "d-a");
        await Append("model.deletion-done", "m-1", "d-a"); // a deletion id on an entry that is not the deletion's own

        static string[] Ids(IReadOnlyList<AuditEntry> entries) => [.. entries.Select(e => $"{e.DeletionRequestId}:{e.Kind}")];

        Assert.Equal(["d-a:deletion.models-updated", "d-b:deletion.forgetting", "d-c:deletion.accepted"], Ids(await store.ReadLatestDeletionEntriesAsync(null, null, 10)));
        Assert.Equal(["d-a:deletion.models-updated", "d-b:deletion.forgetting"], Ids(await store.ReadLatestDeletionEntriesAsync("m-1", null, 10)));
        Assert.Equal(["d-b:deletion.forgetting"], Ids(await store.ReadLatestDeletionEntriesAsync("m_2", null, 10)));
        Assert.Equal(["d-c:deletion.accepted"], Ids(await store.ReadLatestDeletionEntriesAsync("mx2", null, 10))); // '_' is not a wildcard
        Assert.Empty(await store.ReadLatestDeletionEntriesAsync("m", null, 10)); // whole list items only
        Assert.Equal(["d-b:deletion.forgetting"], Ids(await store.ReadLatestDeletionEntriesAsync(null, "deletion.forgetting", 10)));
        Assert.Empty(await store.ReadLatestDeletionEntriesAsync("mx2", "deletion.forgetting", 10));
        Assert.Equal(["d-a:deletion.models-updated"], Ids(await store.ReadLatestDeletionEntriesAsync(null, null, 1)));
        Assert.Empty(await store.ReadLatestDeletionEntriesAsync("x' OR '1'='1", null, 10));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_migrations_index_the_log_by_deletion_request(string provider)
    {
        await using var database = await OpenMigratedAsync(provider);
        await using var sql = RawSql.Beside(database);
        var indexes = await RawSql.ColumnAsync(sql, provider == "postgres"
            ? "SELECT indexname FROM pg_indexes WHERE tablename = 'lethe_audit_log'"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lethe_audit_log'");
        Assert.Contains("lethe_audit_log_by_deletion", indexes);
    }

    private async Task<StoreDatabase> OpenMigratedAsync(string provider)
    {
        var database = provider == "postgres"
            ? StoreDatabase.Postgres(await PostgresServer.CreateDatabaseAsync())
            : StoreDatabase.Sqlite(folder.File("audit.db"));
        await new SchemaMigrator(database).MigrateAsync();
        return database;
    }

    private static async Task<List<AuditEntry>> AppendChainAsync(AuditLogStore store, int count)
    {
        var entries = new List<AuditEntry>();
        var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        for (var i = 0; i < count; i++)
        {
            var entry = AuditChain.Next(
                entries.LastOrDefault(),
                start.AddSeconds(i),
                i % 2 == 0 ? "Accepted" : "ModelsUpdated",
                "mnist-sisa-8",
                i % 3 == 2 ? null : $"deletion-{i / 2}",
                $$"""{"shards":[{"shard":{{i}},"version":{{i + 1}},"weights_sha256":"ab{{i}}"}],"test_accuracy":0.97{{i}}}""");
            await store.AppendAsync([entry]);
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>The tamperer has the database owner's rights: the append-only guard is switched off.</summary>
    private static Task<int> AllowTamperingAsync(DbConnection sql, string provider) => RawSql.ExecuteAsync(sql, provider == "postgres"
        ? "ALTER TABLE lethe_audit_log DISABLE TRIGGER USER"
        : "DROP TRIGGER lethe_audit_log_no_update; DROP TRIGGER lethe_audit_log_no_delete;");

    /// <summary>Flips the lowest bit of the last byte of a stored column (one microsecond of a PostgreSQL
    /// timestamp); a second flip restores it.</summary>
    private static async Task FlipAsync(DbConnection sql, long sequence, string column)
    {
        var stored = await RawSql.ScalarAsync(sql, $"SELECT {column} FROM lethe_audit_log WHERE sequence = @sequence", ("sequence", sequence));
        object flipped = stored switch
        {
            string text => text[..^1] + (char)(text[^1] ^ 1),
            byte[] bytes => (byte[])[.. bytes[..^1], (byte)(bytes[^1] ^ 1)],
            long microseconds => microseconds ^ 1,
            DateTime time => time.AddTicks(time.Ticks / TimeSpan.TicksPerMicrosecond % 2 == 0 ? TimeSpan.TicksPerMicrosecond : -TimeSpan.TicksPerMicrosecond),
            _ => throw new InvalidOperationException($"{column} holds {stored?.GetType().Name ?? "null"}"),
        };
        await RawSql.ExecuteAsync(sql, $"UPDATE lethe_audit_log SET {column} = @value WHERE sequence = @sequence", ("value", flipped), ("sequence", sequence));
    }
}
