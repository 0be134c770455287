using System.Text.Json.Nodes;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>deploy/prometheus and deploy/grafana: the files, their expressions, and the job they select.</summary>
public static class PrometheusFiles
{
    /// <summary>The scrape job every rule and panel selects (<c>job="lethe"</c>).</summary>
    public const string Job = "lethe";

    public static string Config => RepositoryFolder.File("deploy", "prometheus", "prometheus.yml");

    public static string Rules => RepositoryFolder.File("deploy", "prometheus", "rules", "lethe.rules.yml");

    public static string RuleTests => RepositoryFolder.File("deploy", "prometheus", "tests", "lethe.rules.test.yml");

    public static string Dashboard => RepositoryFolder.File("deploy", "grafana", "lethe-dashboard.json");

    /// <summary>A recording or alerting rule: its name (the series it records, or the alert) and its expression.</summary>
    public sealed record Rule(string Name, string Expression, bool IsAlert, JsonObject Definition);

    public static IReadOnlyList<Rule> ReadRules() =>
    [
        .. YamlDocuments.ParseOne(File.ReadAllText(Rules))["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray())
            .Select(r => r!.AsObject())
            .Select(r => r["alert"] is { } alert ? new Rule((string)alert!, (string)r["expr"]!, true, r) : new Rule((string)r["record"]!, (string)r["expr"]!, false, r)),
    ];

    /// <summary>A dashboard query: its panel's title and its expression.</summary>
    public sealed record Panel(string Title, string Expression, string Unit);

    public static JsonObject ReadDashboard() => JsonNode.Parse(File.ReadAllText(Dashboard))!.AsObject();

    public static IReadOnlyList<Panel> ReadPanels() =>
    [
        .. ReadDashboard()["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t =>
            new Panel((string)p["title"]!, (string)t!["expr"]!, (string?)p["fieldConfig"]?["defaults"]?["unit"] ?? ""))),
    ];
}
