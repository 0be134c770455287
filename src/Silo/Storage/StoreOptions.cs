namespace Lethe.Silo.Storage;

/// <summary>The store, bound from <c>Lethe:Store</c> and validated at start.</summary>
internal sealed class StoreOptions
{
    public const string SectionName = "Lethe:Store";

    /// <summary>The name of the Orleans grain storage Lethe's grains persist their state in.</summary>
    public const string GrainStorageName = "lethe";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>SQLite: the database file (default <c>lethe.db</c> in the working directory).</summary>
    public string Path { get; set; } = "lethe.db";

    /// <summary>PostgreSQL: an Npgsql connection string (required for <c>postgres</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending schema scripts when the silo starts (default: yes for SQLite, no for PostgreSQL,
    /// where <c>lethe db migrate</c> or a migration job does it once for all silos).</summary>
    public bool? MigrateOnStart { get; set; }

    public bool ShouldMigrateOnStart => MigrateOnStart ?? Provider == StoreProvider.Sqlite;
}
