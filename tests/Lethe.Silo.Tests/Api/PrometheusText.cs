using System.Globalization;
using System.Text.RegularExpressions;

namespace Lethe.Silo.Tests.Api;

/// <summary>Reads the Prometheus text exposition format: metric families and the samples of a series.</summary>
public static partial class PrometheusText
{
    /// <summary>Each family's name and type, from its <c># TYPE</c> line.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Families(string text) =>
        TypeLine().Matches(text).Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["type"].Value));

    /// <summary>The sum of the samples named <paramref name="name"/> (with the label <paramref name="label"/>, when given).</summary>
    public static double Sum(string text, string name, (string Label, string Value)? label = null) =>
        Sample().Matches(text)
            .Where(m => m.Groups["name"].Value == name && (label is not { } l || m.Groups["labels"].Value.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)( \d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
