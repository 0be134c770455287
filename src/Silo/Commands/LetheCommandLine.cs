using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

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
        root.Subcommands.Add(AuditCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a malformed command line is one <c>lethe:</c> line on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not (HelpAction or VersionAction))
        {
            var errors = string.Join("; ", parse.Errors.Select(error => error.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.')));
            await Console.Error.WriteLineAsync($"lethe: {errors} (see '{CommandPath(parse.CommandResult)} --help').");
            return 1;
        }

        return await parse.InvokeAsync();
    }

    // "lethe bench train" for the command the parse ended in.
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result is not null; result = result.Parent as CommandResult)
            names.Insert(0, result.Command is RootCommand ? "lethe" : result.Command.Name);
        return string.Join(' ', names);
    }
}
