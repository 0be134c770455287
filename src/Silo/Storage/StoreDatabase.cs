using System.Data.Common;
using Lethe.Silo.Storage.Sqlite;
using Npgsql;

namespace Lethe.Silo.Storage;

/// <summary>The one connection source of the store, shared by Orleans' ADO.NET providers, the audit log
/// and the migrator.</summary>
internal sealed class StoreDatabase : IAsyncDisposable, IDisposable
{
    private StoreDatabase(StoreProvider provider, DbDataSource dataSource)
    {
        Provider = provider;
        DataSource = dataSource;
    }

    public StoreProvider Provider { get; }

    public DbDataSource DataSource { get; }

    /// <summary>The ADO.NET invariant Orleans' providers know this database by.</summary>
    public string OrleansInvariant => Provider switch
    {
        StoreProvider.Postgres => "Npgsql",
        _ => "System.Data.SQLite",
    };

    public static StoreDatabase Open(StoreOptions options) => options.Provider switch
    {
        StoreProvider.Postgres => Postgres(options.ConnectionString ?? throw new ArgumentException("A PostgreSQL connection string is required.")),
        _ => Sqlite(options.Path),
    };

    public static StoreDatabase Postgres(string connectionString)
    {
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Not a PostgreSQL connection string: {e.Message}", nameof(connectionString), e);
        }
        return new(StoreProvider.Postgres, builder.Build());
    }

    public static StoreDatabase Sqlite(string path) =>
        new(StoreProvider.Sqlite, new SqliteStoreDataSource(path));

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
