using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Lethe.Silo.Reporting;

namespace Lethe.Silo.Bench.Paper;

/// <summary>Writes a runtime experiment as CSV (one row per point) and as an SVG chart (seconds, log scale).</summary>
internal static class PaperArtifacts
{
    public static RuntimeExperiment Write(string folder, string name, string title, string xLabel, IReadOnlyList<RuntimePoint> points)
    {
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, name + ".csv");
        using (var writer = new StreamWriter(csv))
        using (var table = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture)))
        {
            table.Context.RegisterClassMap<RuntimePointColumns>();
            table.WriteRecords(points);
        }

        var series = new (string Method, Func<RuntimePoint, double> Seconds)[]
        {
            ("retrain", p => p.Retrain), ("fisher-scrub", p => p.FisherScrub), ("neggrad-ft", p => p.NegGradFt),
            ("fisher-noise", p => p.FisherNoise), ("sisa", p => p.Sisa),
        };
        var svg = Path.Combine(folder, name + ".svg");
        File.WriteAllText(svg, SvgLineChart.Render(title, xLabel, "seconds (log scale)",
            series.Select(s => new ChartSeries(s.Method, points.Select(p => (p.X, s.Seconds(p))).ToArray())).ToArray(), logY: true));
        return new RuntimeExperiment(name, xLabel, Path.GetFullPath(csv), Path.GetFullPath(svg), points);
    }

    private sealed class RuntimePointColumns : ClassMap<RuntimePoint>
    {
        public RuntimePointColumns()
        {
            Map(p => p.X).Name("x");
            Map(p => p.Forgotten).Name("forgotten");
            Map(p => p.Retained).Name("retained");
            Map(p => p.Retrain).Name("retrain_seconds");
            Map(p => p.FisherScrub).Name("fisher_scrub_seconds");
            Map(p => p.NegGradFt).Name("neggrad_ft_seconds");
            Map(p => p.FisherNoise).Name("fisher_noise_seconds");
            Map(p => p.Sisa).Name("sisa_seconds");
        }
    }
}
