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

    /// <summary>The most compute threads <c>--threads</c> accepts: far more than any machine here has cores, far fewer than exhaust memory.</summary>
    public const int MaxThreads = 1024;

    public static Option<int?> Threads() => new("--threads")
    {
        Description = $"Compute threads, 1 to {MaxThreads} (default: one per processor)",
        CustomParser = result => (int)OptionValues.Integer(result, 1, MaxThreads),
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Run seed: owners, placement, initial weights and shuffles all derive from it",
        DefaultValueFactory = _ => 1,
        CustomParser = result => OptionValues.Integer(result, long.MinValue, long.MaxValue),
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
