using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lethe.Silo.Tests.Storage;

/// <summary>Raw SQL against a store, as an operator (or an attacker) would reach it.</summary>
public static class RawSql
{
    public static DbConnection Sqlite(string path) => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());

    public static DbConnection Postgres(string connectionString) => new NpgsqlConnection(connectionString);

    /// <summary>A connection of its own to <paramref name="database"/>'s file or server, outside the silo's (the
    /// store's SQLite connections take turns in the process, and this one stays open beside them).</summary>
    internal static DbConnection Beside(Lethe.Silo.Storage.StoreDatabase database) =>
        database.Provider == Lethe.Silo.Storage.StoreProvider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(database.DataSource.ConnectionString) { Pooling = false }.ToString())
            : database.DataSource.CreateConnection();

    public static async Task<object?> ScalarAsync(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<string>> ColumnAsync(DbConnection connection, string sql)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        await using var command = Command(connection, sql, []);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
