namespace Lethe.Silo.Storage;

/// <summary>Where the cluster keeps grain state, reminders, membership and the audit log.</summary>
internal enum StoreProvider
{
    /// <summary>One SQLite file: the embedded default, one silo (localhost clustering).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: ADO.NET clustering, storage and reminders for many silos.</summary>
    Postgres,
}
