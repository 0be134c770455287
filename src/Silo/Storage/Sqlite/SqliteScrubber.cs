using System.Diagnostics;
using Lethe.Grains.Deletions;

namespace Lethe.Silo.Storage.Sqlite;

/// <summary>
/// Rewrites the SQLite file (<c>VACUUM</c>) once purges pause. <c>secure_delete</c> zeroes the cells SQLite
/// deletes, but a cell moved when a page is rebalanced leaves its old bytes in the page's free space, where a
/// purged user's id can outlive the purge; a rewritten file holds only the live rows. A rewrite copies the whole
/// file and holds every writer back while it runs, so it waits until no purge has come for a quiet spell (a
/// burst of deletions shares one rewrite at its end), and at most <see cref="LongestWait"/> after the first purge
/// it covers. A purge that arrives during a rewrite gets another. A silo stopping rewrites at once what is due;
/// one starting rewrites once, for purges a crash kept from their rewrite.
/// </summary>
internal sealed partial class SqliteScrubber(StoreDatabase database, ILogger<SqliteScrubber> logger)
    : IStoreScrubber, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private Task running = Task.CompletedTask;
    private long firstPurge;
    private long lastPurge;
    private bool scheduled;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteScrubber), ServiceLifecycleStage.Active, _ =>
        {
            Purged();
            return Task.CompletedTask;
        });

    public void Purged()
    {
        lock (gate)
        {
            lastPurge = Stopwatch.GetTimestamp();
            if (scheduled || stopping.IsCancellationRequested) return;
            scheduled = true;
            firstPurge = lastPurge;
            running = Task.Run(Rewrite);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task rewrite;
        lock (gate)
        {
            if (stopping.IsCancellationRequested) return; // registered under three services: disposed once each
            stopping.Cancel();
            rewrite = running;
        }

        await rewrite;
        bool due;
        lock (gate) due = scheduled;
        if (due) await Vacuum();
    }

    private async Task Rewrite()
    {
        try
        {
            while (UntilDue() is { } wait) await Task.Delay(wait, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return; // stopping: the dispose rewrites
        }

        await Vacuum();
    }

    private async Task Vacuum()
    {
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

    // How long until the rewrite is due, or null when it is due now (and later purges schedule the next one).
    private TimeSpan? UntilDue()
    {
        lock (gate)
        {
            var quietFor = Stopwatch.GetElapsedTime(lastPurge);
            var waited = Stopwatch.GetElapsedTime(firstPurge);
            if (quietFor < Quiet && waited < LongestWait) return Quiet - quietFor < LongestWait - waited ? Quiet - quietFor : LongestWait - waited;
            scheduled = false;
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Store file rewritten after purges")]
    private static partial void LogRewritten(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not rewrite the store file after purges: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
