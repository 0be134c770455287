using System.Diagnostics;

namespace Lethe.Cluster.Tests;

/// <summary>
/// A PostgreSQL 15 of one test's own (<c>scripts/postgres.sh</c>, 127.0.0.1 only), which the test may stop at once
/// and start again on the same port: the suite's shared server cannot have an outage. It acknowledges a commit only
/// once its WAL is written, as a production server does, so stopping it at once loses nothing it acknowledged.
/// </summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string folder;

    private OwnPostgres(string folder, string connectionString)
    {
        this.folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary>Npgsql connection string of the database <c>postgres</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<OwnPostgres> StartAsync()
    {
        // Not a temp subdirectory of ours: as root the script hands the folder to the postgres user, who must reach it.
        var folder = Path.Combine(Path.GetTempPath(), "lethe-own-postgres-" + Guid.NewGuid().ToString("N"));
        return new OwnPostgres(folder, (await Script("start", folder, "durable")).Trim());
    }

    /// <summary>Stops the server immediately (no shutdown checkpoint), as a crash would.</summary>
    public Task StopAsync() => Script("pause", folder);

    /// <summary>Starts the stopped server again on its port.</summary>
    public Task ResumeAsync() => Script("resume", folder);

    public async ValueTask DisposeAsync() => await Script("stop", folder);

    private static async Task<string> Script(string command, string folder, params string[] options)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(LetheServer.RepositoryFolder(), "scripts", "postgres.sh"), command, folder, .. options]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run scripts/postgres.sh.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {command} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
