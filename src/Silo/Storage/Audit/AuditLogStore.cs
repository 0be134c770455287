using System.Data.Common;
using Lethe.Grains.Audit;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lethe.Silo.Storage.Audit;

/// <summary>The audit log in the store's <c>lethe_audit_log</c> table, on SQLite or PostgreSQL. The two
/// differ only in how a timestamp is kept (microseconds since the epoch; <c>timestamptz</c>) and in how a
/// taken sequence number is reported.</summary>
internal sealed class AuditLogStore(StoreDatabase database) : IAuditStore
{
    private const string Columns = "sequence, recorded_at, kind, model_id, deletion_request_id, payload_json, previous_hash, hash";

    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var entry in entries)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO lethe_audit_log ({Columns}) VALUES (@sequence, @recorded_at, @kind, @model_id, @deletion_request_id, @payload_json, @previous_hash, @hash)";
            command.With("sequence", entry.Sequence)
                .With("recorded_at", ToStored(entry.Timestamp))
                .With("kind", entry.Kind)
                .With("model_id", entry.ModelId)
                .With("deletion_request_id", entry.DeletionRequestId)
                .With("payload_json", entry.PayloadJson)
                .With("previous_hash", entry.PreviousHash.Bytes.ToArray())
                .With("hash", entry.Hash.Bytes.ToArray());
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException e) when (IsDuplicateSequence(e))
            {
                throw new DuplicateAuditSequenceException(entry.Sequence, e);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 0);
        return await ReadAsync(
            $"SELECT {Columns} FROM lethe_audit_log WHERE sequence >= @from ORDER BY sequence LIMIT @count",
            command => command.With("from", fromSequence).With("count", count),
            cancellationToken);
    }

    public async Task<AuditEntry?> FindAsync(string deletionRequestId, string kind, string modelId, CancellationToken cancellationToken = default)
    {
        var found = await ReadAsync(
            $"SELECT {Columns} FROM lethe_audit_log WHERE deletion_request_id = @deletion AND kind = @kind AND model_id = @model ORDER BY sequence LIMIT 1",
            command => command.With("deletion", deletionRequestId).With("kind", kind).With("model", modelId),
            cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<AuditEntry?> ReadLastAsync(CancellationToken cancellationToken = default)
    {
        var last = await ReadAsync($"SELECT {Columns} FROM lethe_audit_log ORDER BY sequence DESC LIMIT 1", _ => { }, cancellationToken);
        return last.Count == 0 ? null : last[0];
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadLatestDeletionEntriesAsync(string? modelId, string? kind, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 0);
        // A deletion's entries name all its models, comma-separated; the model is matched as one whole item of that list.
        var sql = new System.Text.StringBuilder($"""
            SELECT {Columns} FROM lethe_audit_log
            WHERE sequence IN (SELECT MAX(sequence) FROM lethe_audit_log
                               WHERE deletion_request_id IS NOT NULL AND kind LIKE 'deletion.%'
                               GROUP BY deletion_request_id)
            """);
        if (kind is not null) sql.Append(" AND kind = @kind");
        if (modelId is not null) sql.Append(@" AND ',' || model_id || ',' LIKE @model ESCAPE '\'");
        sql.Append(" ORDER BY sequence DESC LIMIT @limit");
        return await ReadAsync(sql.ToString(), command =>
        {
            if (kind is not null) command.With("kind", kind);
            if (modelId is not null) command.With("model", "%," + EscapeLike(modelId) + ",%");
            command.With("limit", limit);
        }, cancellationToken);
    }

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private async Task<IReadOnlyList<AuditEntry>> ReadAsync(string sql, Action<DbCommand> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        parameters(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                FromStored(reader, 1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                AuditHash.FromBytes(reader.GetFieldValue<byte[]>(6)),
                AuditHash.FromBytes(reader.GetFieldValue<byte[]>(7))));
        }
        return entries;
    }

    private object ToStored(DateTimeOffset timestamp) => database.Provider == StoreProvider.Postgres
        ? timestamp.UtcDateTime
        : AuditChain.UnixMicroseconds(timestamp);

    private DateTimeOffset FromStored(DbDataReader reader, int ordinal) => database.Provider == StoreProvider.Postgres
        ? new DateTimeOffset(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero)
        : AuditChain.FromUnixMicroseconds(reader.GetInt64(ordinal));

    private static bool IsDuplicateSequence(DbException e) => e switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 1555, // SQLITE_CONSTRAINT_PRIMARYKEY
        _ => false,
    };
}
