using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>A Dockerfile read into its instructions (continuation lines joined, comments dropped), grouped by stage.</summary>
public sealed partial class Dockerfiles
{
    private Dockerfiles(IReadOnlyList<Instruction> instructions) => Instructions = instructions;

    public sealed record Instruction(string Keyword, string Arguments);

    public IReadOnlyList<Instruction> Instructions { get; }

    /// <summary>The instructions of the last stage: what the image is.</summary>
    public IReadOnlyList<Instruction> Final => [.. Instructions.Skip(Instructions.Select((i, n) => (i, n)).Last(x => x.i.Keyword == "FROM").n)];

    /// <summary>Every image the file pulls: its stages' bases and <c>COPY --from=image</c> sources.</summary>
    public IEnumerable<string> Images =>
        Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments.Split(' ')[0])
            .Concat(Instructions.Where(i => i.Keyword == "COPY").Select(i => CopyFrom().Match(i.Arguments)).Where(m => m.Success && m.Groups["source"].Value.Contains('/', StringComparison.Ordinal)).Select(m => m.Groups["source"].Value));

    public static Dockerfiles Read(string name)
    {
        var instructions = new List<Instruction>();
        var current = "";
        foreach (var raw in File.ReadAllLines(RepositoryFolder.File(name)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0)) continue;
            current += (current.Length > 0 ? " " : "") + line.TrimEnd('\\').Trim();
            if (line.EndsWith('\\')) continue;
            var space = current.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(new Instruction(current[..space].ToUpperInvariant(), current[(space + 1)..].Trim()));
            current = "";
        }

        return new Dockerfiles(instructions);
    }

    /// <summary>The single instruction <paramref name="keyword"/> of the final stage.</summary>
    public string One(string keyword) => Final.Single(i => i.Keyword == keyword).Arguments;

    /// <summary>An exec-form (JSON array) instruction of the final stage.</summary>
    public IReadOnlyList<string> Exec(string keyword) => JsonSerializer.Deserialize<string[]>(One(keyword))!;

    [GeneratedRegex(@"--from=(?<source>\S+)")]
    private static partial Regex CopyFrom();
}
