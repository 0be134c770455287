using System.Data.Common;

namespace Lethe.Silo.Storage.Schema;

/// <summary>Applies the provider's pending schema scripts, each in its own transaction together with its
/// row in <c>lethe_schema_version</c>, so a run applies a script completely or not at all and a second run
/// applies nothing. Safe to run from several processes at once.</summary>
internal sealed class SchemaMigrator(StoreDatabase database)
{
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var scripts = SchemaScripts.For(database.Provider);
        var dialect = SchemaDialect.For(database.Provider);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await LockAsync(connection, transaction, dialect, cancellationToken);
            await ExecuteAsync(connection, transaction, dialect.CreateVersionTable, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var applied = new List<SchemaScript>();
        foreach (var script in scripts)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockAsync(connection, transaction, dialect, cancellationToken);
            var current = await CurrentVersionAsync(connection, transaction, cancellationToken);
            if (current > scripts.Count)
                throw new InvalidDataException($"The database is at schema version {current}, newer than this lethe knows ({scripts.Count}); use a newer lethe.");
            if (current >= script.Version) continue;

            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO lethe_schema_version (version, name) VALUES (@version, @name)";
                record.With("version", script.Version).With("name", script.Name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            applied.Add(script);
        }

        await using var last = await connection.BeginTransactionAsync(cancellationToken);
        var version = await CurrentVersionAsync(connection, last, cancellationToken);
        await last.CommitAsync(cancellationToken);
        return new MigrationResult(version, applied);
    }

    private static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM lethe_schema_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task LockAsync(DbConnection connection, DbTransaction transaction, SchemaDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect.LockForMigration is { } sql) await ExecuteAsync(connection, transaction, sql, cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
