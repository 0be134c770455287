using System.Xml.Linq;
using Lethe.Silo.Bench.Paper;
using Lethe.Silo.Reporting;

namespace Lethe.Silo.Tests;

public class ReportingTests
{
    [Fact]
    public void A_chart_is_well_formed_svg_with_a_line_per_series_and_log_ticks()
    {
        var svg = SvgLineChart.Render("t <&>", "x", "y", [new ChartSeries("a", [(1, 0.01), (2, 1)]), new ChartSeries("b", [(1, 10), (2, -1)])], logY: true);

        var document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(2, document.Descendants(ns + "polyline").Count());
        var labels = document.Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Contains("t <&>", labels);
        Assert.Contains("0.01", labels);
        Assert.Contains("10", labels);
        var lineB = document.Descendants(ns + "polyline").Last().Attribute("points")!.Value;
        Assert.Single(lineB.Split(' ')); // the non-positive point cannot sit on a log axis and is dropped
    }

    [Fact]
    public void A_runtime_experiment_is_written_as_csv_with_one_row_per_point()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lethe-artifacts-" + Guid.NewGuid().ToString("N"));
        try
        {
            var points = new[]
            {
                new RuntimePoint(0.5, 10, 90, 2.0, 0.01, 0.1, 0.05, 0.7, 0.75, "replay", true, 0.65, 1.8),
                new RuntimePoint(1, 20, 80, 1.5, 0.02, 0.1, 0.05, 0.6, 1.55, "retrain", null, 1.9, 1.4),
            };
            var experiment = PaperArtifacts.Write(folder, "e", "title", "x", points);

            var lines = File.ReadAllLines(experiment.Csv);
            Assert.Equal(
                "x,forgotten,retained,retrain_seconds,fisher_scrub_seconds,neggrad_ft_seconds,fisher_noise_seconds,sisa_seconds," +
                "auto_seconds,auto_path,auto_exact,predicted_sisa_seconds,predicted_retrain_seconds", lines[0]);
            Assert.Equal("0.5,10,90,2.0000,0.0100,0.1000,0.0500,0.7000,0.7500,replay,true,0.6500,1.8000", lines[1]);
            Assert.Equal("1,20,80,1.5000,0.0200,0.1000,0.0500,0.6000,1.5500,retrain,,1.9000,1.4000", lines[2]);
            Assert.Equal(3, lines.Length);
            Assert.True(File.Exists(experiment.Svg));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Percentiles_interpolate_between_ranks()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(2.5, SequentialUserDeletions.Percentile(sorted, 0.5));
        Assert.Equal(3.7, SequentialUserDeletions.Percentile(sorted, 0.9), 10);
        Assert.Equal(4, SequentialUserDeletions.Percentile(sorted, 1));
        Assert.True(double.IsNaN(SequentialUserDeletions.Percentile([], 0.5)));
    }
}
