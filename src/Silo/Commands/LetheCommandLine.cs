using System.CommandLine;

namespace Lethe.Silo.Commands;

/// <summary>The <c>lethe</c> command line.</summary>
internal static class LetheCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Lethe: models that forget a user's data on request");
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(VerifyGoldCommand.Create());
        return root;
    }
}
