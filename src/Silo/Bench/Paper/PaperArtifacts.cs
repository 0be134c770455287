using CsvHelper;
using Lethe.Silo.Reporting;

namespace Lethe.Silo.Bench.Paper;

/// <summary>Writes a runtime experiment as CSV (one row per point) and as an SVG chart (seconds, log scale).</summary>
internal static class PaperArtifacts
{
    public static RuntimeExperiment Write(string folder, string name, string title, string xLabel, IReadOnlyList<RuntimePoint> points)
    {
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, name + ".csv");
        using (var table = CsvWriter.ToFile(csv, CsvWriterOptions.Default, FileOptions.None))
        {
            table.WriteHeader([
                "x", "forgotten", "retained", "retrain_seconds", "fisher_scrub_seconds", "neggrad_ft_seconds", "fisher_noise_seconds", "sisa_seconds",
                "auto_seconds", "auto_path", "auto_exact", "predicted_sisa_seconds", "predicted_retrain_seconds"]);
            foreach (var point in points)
            {
                table.WriteField(point.X, "R");
                table.WriteField(point.Forgotten, "D");
                table.WriteField(point.Retained, "D");
                foreach (var seconds in new[] { point.Retrain, point.FisherScrub, point.NegGradFt, point.FisherNoise, point.Sisa, point.Auto }) table.WriteField(seconds, "F4");
                table.WriteField(point.AutoPath);
                table.WriteField(point.AutoExact is { } exact ? (exact ? "true" : "false") : "");
                foreach (var seconds in new[] { point.PredictedSisa, point.PredictedRetrain }) table.WriteField(seconds, "F4");
                table.EndRecord();
            }
        }

        var series = new (string Method, Func<RuntimePoint, double> Seconds)[]
        {
            ("retrain", p => p.Retrain), ("fisher-scrub", p => p.FisherScrub), ("neggrad-ft", p => p.NegGradFt),
            ("fisher-noise", p => p.FisherNoise), ("sisa", p => p.Sisa), ("auto", p => p.Auto),
        };
        var svg = Path.Combine(folder, name + ".svg");
        File.WriteAllText(svg, SvgLineChart.Render(title, xLabel, "seconds (log scale)",
            series.Select(s => new ChartSeries(s.Method, points.Select(p => (p.X, s.Seconds(p))).ToArray())).ToArray(), logY: true));
        return new RuntimeExperiment(name, xLabel, Path.GetFullPath(csv), Path.GetFullPath(svg), points);
    }
}
