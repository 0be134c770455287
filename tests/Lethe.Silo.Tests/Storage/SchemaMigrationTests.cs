using System.Reflection;
using Lethe.Silo.Storage;
using Lethe.Silo.Storage.Schema;

namespace Lethe.Silo.Tests.Storage;

public sealed class SchemaMigrationTests : IDisposable
{
    private static readonly string[] StorageKeys = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    private readonly StoreFolder folder = new("lethe-migrate-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Postgres_migration_applies_each_script_once_and_a_second_run_changes_nothing()
    {
        await using var database = StoreDatabase.Postgres(await PostgresServer.CreateDatabaseAsync());
        var scripts = SchemaScripts.For(StoreProvider.Postgres);

        var first = await new SchemaMigrator(database).MigrateAsync();
        var second = await new SchemaMigrator(database).MigrateAsync();

        Assert.Equal(scripts.Select(s => s.Name), first.Applied.Select(s => s.Name));
        Assert.Empty(second.Applied);
        Assert.Equal(scripts.Count, second.Version);
        await using var sql = RawSql.Beside(database);
        Assert.Equal((long)scripts.Count, await RawSql.ScalarAsync(sql, "SELECT COUNT(*) FROM lethe_schema_version"));
        var keys = await RawSql.ColumnAsync(sql, "SELECT QueryKey FROM OrleansQuery");
        Assert.Equal(RequiredKeys("Clustering").Concat(RequiredKeys("Reminders")).Concat(StorageKeys).Order(), keys.Order());
    }

    [Fact]
    public async Task Sqlite_migration_applies_each_script_once_and_a_second_run_changes_nothing()
    {
        await using var database = StoreDatabase.Sqlite(folder.File("new", "lethe.db"));
        var scripts = SchemaScripts.For(StoreProvider.Sqlite);

        var first = await new SchemaMigrator(database).MigrateAsync();
        var second = await new SchemaMigrator(database).MigrateAsync();

        Assert.Equal(scripts.Select(s => s.Name), first.Applied.Select(s => s.Name));
        Assert.Empty(second.Applied);
        await using var sql = RawSql.Beside(database);
        Assert.Equal((long)scripts.Count, await RawSql.ScalarAsync(sql, "SELECT COUNT(*) FROM lethe_schema_version"));
        // No SQLite clustering exists: the embedded default runs one silo on localhost clustering.
        var keys = await RawSql.ColumnAsync(sql, "SELECT QueryKey FROM OrleansQuery");
        Assert.Equal(RequiredKeys("Reminders").Concat(StorageKeys).Order(), keys.Order());
    }

    [Fact]
    public async Task Migrators_started_together_on_one_postgres_database_apply_each_script_once()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var databases = Enumerable.Range(0, 3).Select(_ => StoreDatabase.Postgres(connectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(databases.Select(d => new SchemaMigrator(d).MigrateAsync()));
            var applied = results.SelectMany(r => r.Applied).Select(s => s.Version).Order();
            Assert.Equal(Enumerable.Range(1, SchemaScripts.For(StoreProvider.Postgres).Count), applied);
        }
        finally
        {
            foreach (var database in databases) await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_database_newer_than_this_lethe_is_refused()
    {
        var path = folder.File("newer.db");
        await using var database = StoreDatabase.Sqlite(path);
        await new SchemaMigrator(database).MigrateAsync();
        await using (var sql = RawSql.Beside(database))
            await RawSql.ExecuteAsync(sql, "INSERT INTO lethe_schema_version (version, name) VALUES (99, 'from the future')");

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => new SchemaMigrator(database).MigrateAsync());
        Assert.Contains("schema version 99", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Db_migrate_on_the_command_line_is_idempotent_for_both_providers()
    {
        var postgres = await PostgresServer.CreateDatabaseAsync();
        var sqlite = folder.File("cli.db");
        foreach (var arguments in new[] { new[] { "db", "migrate", "--connection", postgres }, ["db", "migrate", "--provider", "sqlite", "--connection", sqlite] })
        {
            var first = await LetheProcess.RunAsync(arguments);
            var second = await LetheProcess.RunAsync(arguments);

            Assert.Equal((0, ""), (first.ExitCode, first.Error));
            Assert.Contains("applied 0001_orleans_query", first.Output, StringComparison.Ordinal);
            Assert.Equal((0, ""), (second.ExitCode, second.Error));
            Assert.DoesNotContain("applied", second.Output, StringComparison.Ordinal);
            Assert.StartsWith("schema at version ", second.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Db_migrate_against_an_unreachable_or_malformed_connection_is_one_line_and_exit_code_one()
    {
        string[][] cases =
        [
            ["db", "migrate", "--connection", "Host=127.0.0.1;Port=1;Username=lethe;Timeout=2"],
            ["db", "migrate", "--connection", "Nonsense=1"],
            ["db", "migrate", "--provider", "sqlite", "--connection", "/proc/lethe-cannot-write-here/lethe.db"],
        ];
        foreach (var arguments in cases)
        {
            var result = await LetheProcess.RunAsync(arguments);
            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("lethe: ", line, StringComparison.Ordinal);
        }
    }

    /// <summary>The query keys the installed 10.4.2 provider demands at start (its DbStoredQueries).</summary>
    private static IEnumerable<string> RequiredKeys(string provider)
    {
        var assembly = Assembly.Load($"Orleans.{provider}.AdoNet");
        var queries = assembly.GetType($"Orleans.{provider}.AdoNet.Storage.DbStoredQueries", throwOnError: true)!;
        return queries.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic).Select(p => p.Name);
    }
}
