using System.CommandLine;
using Lethe.Learning.Blas;

namespace Lethe.Silo.Commands;

/// <summary>Options shared by the subcommands.</summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Folder holding mnist/ and fashion-mnist/ (default: $LETHE_DATA, ./data, ../shared/data)",
    };

    public static Option<int?> Threads() => new("--threads")
    {
        Description = "OpenBLAS threads (default: OpenBLAS's own choice, one per core)",
        Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--threads must be at least 1."); } },
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Run seed: owners, placement, initial weights and shuffles all derive from it",
        DefaultValueFactory = _ => 1,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of text" };

    /// <summary>Applies --threads when given and loads OpenBLAS, so a missing library fails before any work and a kernel replacement is said once on stderr.</summary>
    public static void PrepareCompute(int? threads)
    {
        if (threads is { } count) Gemm.Threads = count;
        var kernel = OpenBlasLibrary.Instance.Kernel;
        if (kernel.Note is { } note) Console.Error.WriteLine($"OpenBLAS: {note}");
    }
}
