using System.CommandLine;
using Lethe.Silo.Storage;
using Lethe.Silo.Storage.Schema;

namespace Lethe.Silo.Commands;

/// <summary><c>db</c>: the store's schema.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var db = new Command("db", "The store's schema (PostgreSQL or SQLite)");
        db.Subcommands.Add(Migrate());
        return db;
    }

    private static Command Migrate()
    {
        var connection = new Option<string>("--connection")
        {
            Description = "PostgreSQL: an Npgsql connection string; SQLite: the database file",
            Required = true,
        };
        var provider = new Option<string>("--provider")
        {
            Description = "postgres (default) or sqlite",
            DefaultValueFactory = _ => "postgres",
        };
        provider.AcceptOnlyFromAmong("postgres", "sqlite");
        var command = new Command("migrate", "Apply the schema scripts the database lacks (Orleans' tables and queries, Lethe's audit log); running it again changes nothing")
        {
            connection, provider,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            var target = parse.GetValue(connection)!;
            await using var database = parse.GetValue(provider) == "sqlite"
                ? StoreDatabase.Sqlite(target)
                : StoreDatabase.Postgres(target);
            var result = await new SchemaMigrator(database).MigrateAsync(cancellationToken);
            foreach (var script in result.Applied) await Console.Out.WriteLineAsync($"applied {script.Name}");
            await Console.Out.WriteLineAsync($"schema at version {result.Version}");
            return 0;
        }));
        return command;
    }
}
