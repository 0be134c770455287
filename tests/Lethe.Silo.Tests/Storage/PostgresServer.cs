using Npgsql;

namespace Lethe.Silo.Tests.Storage;

/// <summary>The PostgreSQL server ./scripts/test.sh starts for the suite (scripts/postgres.sh), named by
/// <c>LETHE_TEST_POSTGRES</c>. Each test gets a database of its own. Tests that need it fail, not skip,
/// when it is absent.</summary>
public static class PostgresServer
{
    public const string Variable = "LETHE_TEST_POSTGRES";

    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{Variable} is not set: these tests need the PostgreSQL server that ./scripts/test.sh starts (scripts/postgres.sh start DIR prints the connection string).");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "lethe_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }
}
