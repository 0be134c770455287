using System.CommandLine;
using Lethe.Grains.Audit;
using Lethe.Silo.Storage;
using Lethe.Silo.Storage.Audit;

namespace Lethe.Silo.Commands;

/// <summary><c>audit verify</c>: walks the audit log's hash chain in a store and names the first broken entry.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var audit = new Command("audit", "The audit log of deletions and shard updates");
        audit.Subcommands.Add(Verify());
        return audit;
    }

    private static Command Verify()
    {
        var store = new Option<string?>("--store") { Description = "The SQLite file of the embedded store" };
        var connection = new Option<string?>("--connection") { Description = "A PostgreSQL store's Npgsql connection string" };
        var command = new Command("verify", "Check every entry's hash and link; exit 1 naming the first broken entry") { store, connection };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            var (file, postgres) = (parse.GetValue(store), parse.GetValue(connection));
            if ((file is null) == (postgres is null)) throw new ArgumentException("Give exactly one of --store FILE (SQLite) and --connection STRING (PostgreSQL).");
            if (file is not null && !File.Exists(file)) throw new FileNotFoundException($"No store file at {Path.GetFullPath(file)}.");
            await using var database = file is not null ? StoreDatabase.Sqlite(file) : StoreDatabase.Postgres(postgres!);
            var result = await AuditChain.VerifyAsync(new AuditLogStore(database), cancellationToken: cancellationToken);
            if (!result.IsIntact) throw new InvalidDataException($"audit log broken at entry {result.FirstBrokenSequence}: {result.Problem} ({result.EntriesChecked} entries before it are intact)");
            await Console.Out.WriteLineAsync($"audit log intact: {result.EntriesChecked} entries");
            return 0;
        }));
        return command;
    }
}
