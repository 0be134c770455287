using Microsoft.Data.Sqlite;

namespace Lethe.Silo.Storage.Sqlite;

/// <summary>
/// A connection to the store file that holds the file's in-process gate from open to close, so the silo's
/// statements run one connection at a time. SQLite lets one writer in at a time anyway; without the gate, the
/// writers a burst of deletions starts wait in SQLite's busy handler, which sleeps for growing spells (up to 100 ms)
/// rather than taking the lock when it frees, and a shard's checkpoint write starved behind them. Every user of
/// the store opens a connection per operation and closes it before opening another (one opened while another is
/// held in the same flow would wait for itself: it fails after <see cref="Busy"/>, as SQLite's busy timeout did).
/// </summary>
internal sealed class GatedSqliteConnection(string connectionString, SemaphoreSlim gate) : SqliteConnection(connectionString)
{
    private static readonly TimeSpan Busy = TimeSpan.FromSeconds(30);
    private bool holding;

    public override void Open()
    {
        if (holding)
        {
            base.Open();
            return;
        }

        if (!gate.Wait(Busy)) throw Timeout();
        OpenHolding();
    }

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (holding)
        {
            base.Open();
            return;
        }

        if (!await gate.WaitAsync(Busy, cancellationToken).ConfigureAwait(false)) throw Timeout(); // never resumed on a grain's scheduler, which may stop running before it would free the gate
        OpenHolding();
    }

    public override void Close()
    {
        try
        {
            base.Close();
        }
        finally
        {
            if (holding)
            {
                holding = false;
                gate.Release();
            }
        }
    }

    // What SQLite's busy_timeout did before the gate: a store held for this long is reported, not waited on forever.
    private static TimeoutException Timeout() => new($"The store file stayed busy for {Busy.TotalSeconds:0} s.");

    private void OpenHolding()
    {
        holding = true;
        try
        {
            base.Open();
        }
        catch
        {
            holding = false;
            gate.Release();
            throw;
        }
    }
}
