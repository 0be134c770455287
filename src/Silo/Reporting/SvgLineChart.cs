using System.Globalization;
using System.Security;
using System.Text;

namespace Lethe.Silo.Reporting;

/// <summary>A named line of (x, y) points.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A self-contained SVG line chart: axes with round ticks, one polyline per series, a legend.</summary>
internal static class SvgLineChart
{
    private const int Width = 760, Height = 440, Left = 80, Right = 190, Top = 40, Bottom = 60;
    private static readonly double[] TickFactors = [1.0, 2.0, 5.0, 10.0];
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"];

    /// <summary>Renders the chart; with <paramref name="logY"/> the y axis is logarithmic (non-positive values are dropped).</summary>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, bool logY)
    {
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y) && (!logY || p.Y > 0)).ToList();
        if (points.Count == 0) throw new ArgumentException("A chart needs at least one finite point.", nameof(series));
        double Transform(double y) => logY ? Math.Log10(y) : y;
        var (xMin, xMax) = Padded(points.Min(p => p.X), points.Max(p => p.X));
        var (yMin, yMax) = logY
            ? (Math.Floor(points.Min(p => Transform(p.Y))), Math.Ceiling(points.Max(p => Transform(p.Y))))
            : Padded(Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        if (yMax <= yMin) yMax = yMin + 1;
        double PlotX(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double PlotY(double y) => Height - Bottom - ((Transform(y) - yMin) / (yMax - yMin) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");
        Axis(svg, Left, Height - Bottom, Width - Right, Height - Bottom);
        Axis(svg, Left, Top, Left, Height - Bottom);
        foreach (var tick in Ticks(xMin, xMax))
        {
            var x = PlotX(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{Height - Bottom}\" x2=\"{x:F1}\" y2=\"{Height - Bottom + 5}\" stroke=\"black\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Format(tick)}</text>\n");
        }

        foreach (var tick in logY ? Enumerable.Range((int)yMin, (int)(yMax - yMin) + 1).Select(e => (double)e) : Ticks(yMin, yMax))
        {
            var y = Height - Bottom - ((tick - yMin) / (yMax - yMin) * (Height - Top - Bottom));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"#e5e5e5\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Format(logY ? Math.Pow(10, tick) : tick)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(20,{(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var line = series[i].Points.Where(p => double.IsFinite(p.Y) && (!logY || p.Y > 0)).OrderBy(p => p.X)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{PlotX(p.X):F1},{PlotY(p.Y):F1}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', line)}\"/>\n");
            var legendY = Top + 10 + (i * 20);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 15}\" y1=\"{legendY}\" x2=\"{Width - Right + 40}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 46}\" y=\"{legendY + 4}\">{Escape(series[i].Name)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Axis(StringBuilder svg, double x1, double y1, double x2, double y2) =>
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"black\"/>\n");

    private static (double Min, double Max) Padded(double min, double max) => max > min ? (min, max) : (min - 1, max + 1);

    /// <summary>About five round tick values (1, 2 or 5 times a power of ten apart) covering [min, max].</summary>
    private static IEnumerable<double> Ticks(double min, double max)
    {
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = TickFactors.Select(f => f * magnitude).First(s => s >= raw);
        for (var tick = Math.Ceiling(min / step) * step; tick <= max + (step * 1e-9); tick += step) yield return tick;
    }

    private static string Format(double value) =>
        value != 0 && Math.Abs(value) < 0.001 ? value.ToString("0.#E+0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
