using Lethe.Grains.Deletions;

namespace Lethe.Silo.Storage.Sqlite;

/// <summary>
/// Rewrites the SQLite file (<c>VACUUM</c>) shortly after purges. <c>secure_delete</c> zeroes the cells SQLite
/// deletes, but a cell moved when a page is rebalanced leaves its old bytes in the page's free space, where a
/// purged user's id can outlive the purge; a rewritten file holds only the live rows. Purges that arrive together
/// share one rewrite; one that arrives during a rewrite gets another.
/// </summary>
internal sealed partial class SqliteScrubber(StoreDatabase database, ILogger<SqliteScrubber> logger) : IStoreScrubber
{
    private static readonly TimeSpan Gathering = TimeSpan.FromSeconds(1);
    private readonly Lock gate = new();
    private bool scheduled;

    public void Purged()
    {
        lock (gate)
        {
            if (scheduled) return;
            scheduled = true;
        }

        _ = Task.Run(Rewrite);
    }

    private async Task Rewrite()
    {
        await Task.Delay(Gathering);
        lock (gate) scheduled = false;
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "VACUUM";
            await command.ExecuteNonQueryAsync();
            LogRewritten(logger);
        }
        catch (Exception e)
        {
            // The next purge tries again (a silo stopping disposes the connections under it).
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Store file rewritten after purges")]
    private static partial void LogRewritten(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not rewrite the store file after purges: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
