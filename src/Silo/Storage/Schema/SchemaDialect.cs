namespace Lethe.Silo.Storage.Schema;

/// <summary>What differs between the providers in applying schema scripts.</summary>
internal sealed record SchemaDialect(string CreateVersionTable, string? LockForMigration)
{
    /// <summary>Migrators on several silos at once queue on one transaction-scoped advisory lock.</summary>
    public static readonly SchemaDialect Postgres = new(
        """
        CREATE TABLE IF NOT EXISTS lethe_schema_version (
            version integer PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """,
        "SELECT pg_advisory_xact_lock(7451926035)");

    /// <summary>SQLite transactions start with BEGIN IMMEDIATE, which already excludes other writers.</summary>
    public static readonly SchemaDialect Sqlite = new(
        """
        CREATE TABLE IF NOT EXISTS lethe_schema_version (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """,
        null);

    public static SchemaDialect For(StoreProvider provider) => provider == StoreProvider.Postgres ? Postgres : Sqlite;
}
