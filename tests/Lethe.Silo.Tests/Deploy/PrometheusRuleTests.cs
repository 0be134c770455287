using System.Globalization;
using System.Text.RegularExpressions;
using Lethe.Grains.Deletions;
using Lethe.Grains.Metrics;
using Lethe.Silo.Tests.Api;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>deploy/prometheus checked by promtool, its unit tests run, and the rules and the dashboard read against Lethe's metrics.</summary>
public sealed partial class PrometheusRuleTests
{
    [Fact]
    public async Task Promtool_checks_the_rules_and_the_scrape_configuration()
    {
        var rules = await Promtool.RunAsync(null, "check", "rules", PrometheusFiles.Rules);
        Assert.True(rules.ExitCode == 0, rules.Output);
        Assert.Contains($"SUCCESS: {PrometheusFiles.ReadRules().Count} rules found", rules.Output, StringComparison.Ordinal);

        var config = await Promtool.RunAsync(null, "check", "config", PrometheusFiles.Config);
        Assert.True(config.ExitCode == 0, config.Output);
    }

    [Fact]
    public async Task Promtool_rule_tests_pass_with_a_case_that_fires_and_one_that_does_not_for_every_alert()
    {
        var run = await Promtool.RunAsync(null, "test", "rules", PrometheusFiles.RuleTests);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("SUCCESS", run.Output, StringComparison.Ordinal);

        var cases = YamlDocuments.ParseOne(File.ReadAllText(PrometheusFiles.RuleTests))["tests"]!.AsArray()
            .SelectMany(t => t!["alert_rule_test"]?.AsArray() ?? [])
            .Select(c => ((string)c!["alertname"]!, Fires: c["exp_alerts"]!.AsArray().Count > 0))
            .ToList();
        foreach (var alert in PrometheusFiles.ReadRules().Where(r => r.IsAlert).Select(r => r.Name))
        {
            Assert.Contains((alert, true), cases);
            Assert.Contains((alert, false), cases);
        }

        // The recording rules' values are checked too.
        var recorded = YamlDocuments.ParseOne(File.ReadAllText(PrometheusFiles.RuleTests))["tests"]!.AsArray()
            .SelectMany(t => t!["promql_expr_test"]?.AsArray() ?? []).Select(c => (string)c!["expr"]!).ToList();
        foreach (var record in PrometheusFiles.ReadRules().Where(r => !r.IsAlert).Select(r => r.Name))
            Assert.Contains(recorded, expression => expression.Contains(record, StringComparison.Ordinal));
    }

    [Fact]
    public void The_latency_alert_pages_above_the_deletion_sla_which_is_a_bucket_of_the_histogram()
    {
        var alert = PrometheusFiles.ReadRules().Single(r => r.Name == "LetheUnlearnLatencyAboveSla");
        var threshold = double.Parse(Threshold().Match(alert.Expression).Groups["seconds"].Value, CultureInfo.InvariantCulture);
        var sla = new DeletionOptions().Sla.TotalSeconds;
        Assert.Equal(sla, threshold);
        Assert.Contains(sla, LetheMetrics.DurationBuckets);
        Assert.Equal("10m", (string?)alert.Definition["for"]);
        Assert.Contains("method:lethe_unlearn_duration_seconds:p95_5m", alert.Expression, StringComparison.Ordinal);

        // The silos' own SLA in deploy/k8s is the same.
        var config = YamlDocuments.ParseOne(File.ReadAllText(RepositoryFolder.File("deploy", "k8s", "base", "configmap.yaml")));
        Assert.Equal(TimeSpan.FromSeconds(sla), TimeSpan.Parse((string)config["data"]!["Lethe__Deletions__Sla"]!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Rules_and_panels_read_lethe_metrics_by_their_exported_names_on_the_lethe_job()
    {
        string[] exported =
        [
            "lethe_unlearn_duration_seconds_bucket", "lethe_shard_replay_duration_seconds_bucket", "lethe_deletions_total",
            "lethe_deletion_queue_depth", "lethe_replayed_samples_total",
        ];
        var expressions = PrometheusFiles.ReadRules().Select(r => r.Expression).Concat(PrometheusFiles.ReadPanels().Select(p => p.Expression)).ToList();
        foreach (var metric in exported) Assert.Contains(expressions, e => e.Contains(metric, StringComparison.Ordinal));

        // Every selector of a raw metric names the job.
        foreach (var expression in expressions)
        {
            foreach (Match selector in Selector().Matches(expression))
            {
                if (selector.Groups["name"].Value.Contains(':', StringComparison.Ordinal)) continue; // a recorded series
                Assert.Contains($"job=\"{PrometheusFiles.Job}\"", selector.Groups["labels"].Value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_dashboard_shows_latency_quantiles_by_method_deletions_by_outcome_queue_replays_silos_and_activations()
    {
        var dashboard = PrometheusFiles.ReadDashboard();
        Assert.Equal("lethe-overview", (string?)dashboard["uid"]);
        Assert.Equal("datasource", (string?)dashboard["templating"]!["list"]![0]!["name"]);
        var panels = PrometheusFiles.ReadPanels();
        Assert.All(dashboard["panels"]!.AsArray(), p => Assert.Equal("${datasource}", (string?)p!["datasource"]!["uid"]));

        foreach (var quantile in new[] { "0.50", "0.95", "0.99" })
            Assert.Contains(panels, p => p.Unit == "s" && p.Expression.StartsWith($"histogram_quantile({quantile}, sum by (method, le) (rate(lethe_unlearn_duration_seconds_bucket", StringComparison.Ordinal));
        Assert.Contains(panels, p => p.Expression.Contains("sum by (outcome) (rate(lethe_deletions_total", StringComparison.Ordinal));
        Assert.Contains(panels, p => p.Expression.Contains("lethe_deletion_queue_depth", StringComparison.Ordinal));
        Assert.Contains(panels, p => p.Expression.Contains("rate(lethe_replayed_samples_total", StringComparison.Ordinal));
        Assert.Contains(panels, p => p.Expression.Contains("orleans_consistent_ring_size", StringComparison.Ordinal));
        Assert.Contains(panels, p => p.Expression.Contains("orleans_catalog_activations", StringComparison.Ordinal));
    }

    [GeneratedRegex(@">\s*(?<seconds>[0-9.]+)\s*$")]
    private static partial Regex Threshold();

    // A metric name followed by a label selector: name{labels}.
    [GeneratedRegex(@"(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\}")]
    private static partial Regex Selector();
}
