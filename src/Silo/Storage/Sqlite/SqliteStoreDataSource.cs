using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Lethe.Silo.Storage.Sqlite;

/// <summary>Connections to the SQLite store file, each set up, when opened, so that deleted data does not
/// stay in the file: <c>secure_delete</c> overwrites freed cells and pages with zeros, and the rollback
/// journal (which holds old pages until commit) is deleted at each commit. WAL is not used: its file
/// keeps earlier versions of pages until a checkpoint. Orleans opens its own connections from this data
/// source, so the settings apply to them too, and each holds the file's gate while open (see <see cref="GatedSqliteConnection"/>).</summary>
internal sealed class SqliteStoreDataSource : DbDataSource
{
    // busy_timeout: SQLite's own busy handler, which also waits at commit for readers to finish (Microsoft.Data.Sqlite
    // retries a busy statement only when it starts, so a commit behind another connection's read failed at once).
    // page_size: takes effect on a new file (and on an old one at its next VACUUM); a shard's ~7 MB checkpoint write
    // takes about half as long on 64 KB pages as on 4 KB ones, and a small row's commit barely longer (README, Storage).
    private const string ConnectionSetup = "PRAGMA busy_timeout = 30000; PRAGMA secure_delete = ON; PRAGMA journal_mode = DELETE; PRAGMA page_size = 65536;";
    private readonly SemaphoreSlim gate = new(1, 1);

    public SqliteStoreDataSource(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        Path = full;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    public override string ConnectionString { get; }

    protected override DbConnection CreateDbConnection()
    {
        var connection = new GatedSqliteConnection(ConnectionString, gate);
        connection.StateChange += SetUpOnOpen;
        return connection;
    }

    private static void SetUpOnOpen(object sender, StateChangeEventArgs change)
    {
        if (change.CurrentState != ConnectionState.Open) return;
        using var command = ((SqliteConnection)sender).CreateCommand();
        command.CommandText = ConnectionSetup;
        command.ExecuteNonQuery();
    }
}
