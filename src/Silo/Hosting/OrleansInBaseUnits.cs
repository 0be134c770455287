using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Lethe.Silo.Hosting;

/// <summary>
/// Orleans' own instruments as Prometheus expects them (<c>promtool check metrics</c>): base units and help
/// text. Orleans records latencies in milliseconds and memory in megabytes; the latency histograms are
/// recorded again here in seconds (meter <c>Lethe.Orleans</c>, the same names) and the originals dropped;
/// the memory gauges are dropped (the process's own memory is in the runtime's metrics). Instruments
/// without a description get one naming them.
/// </summary>
internal sealed class OrleansInBaseUnits : IHostedService, IDisposable
{
    public const string OrleansMeter = "Microsoft.Orleans";
    public const string MeterName = "Lethe.Orleans";

    /// <summary>Seconds: Orleans' default millisecond buckets (OpenTelemetry's), converted.</summary>
    private static readonly IReadOnlyList<double> Buckets = [0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private static readonly Dictionary<string, double> TimeUnitsInSeconds = new(StringComparer.Ordinal) { ["ms"] = 1e-3, ["us"] = 1e-6, ["μs"] = 1e-6 };
    private static readonly HashSet<string> OtherNonBaseUnits = new(StringComparer.Ordinal) { "KB", "kB", "MB", "GB", "KiBy", "MiBy", "GiBy", "min", "h" };

    private readonly Meter meter;
    private readonly MeterListener listener = new();
    private readonly Dictionary<Instrument, (Histogram<double> Mirror, double Scale)> mirrors = [];
    private readonly Lock gate = new();

    public OrleansInBaseUnits(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        listener.InstrumentPublished = Publish;
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<float>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
    }

    /// <summary>The OpenTelemetry view: drops what is recorded again or has no base unit, describes what has no description.</summary>
    public static MetricStreamConfiguration? View(Instrument instrument)
    {
        if (instrument.Meter.Name != OrleansMeter) return null;
        if (IsMirrored(instrument) || OtherNonBaseUnits.Contains(instrument.Unit ?? "")) return MetricStreamConfiguration.Drop;
        return string.IsNullOrEmpty(instrument.Description) ? new MetricStreamConfiguration { Description = Describe(instrument) } : null;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        listener.Dispose();
        meter.Dispose();
    }

    private static bool IsMirrored(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>) && TimeUnitsInSeconds.ContainsKey(instrument.Unit ?? "");

    private static string Describe(Instrument instrument) => $"Orleans runtime: {instrument.Name.Replace('-', ' ')}";

    private void Publish(Instrument instrument, MeterListener source)
    {
        if (instrument.Meter.Name != OrleansMeter || !IsMirrored(instrument)) return;
        var description = string.IsNullOrEmpty(instrument.Description) ? Describe(instrument) : instrument.Description;
        var mirror = meter.CreateHistogram(instrument.Name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        lock (gate) mirrors[instrument] = (mirror, TimeUnitsInSeconds[instrument.Unit!]);
        source.EnableMeasurementEvents(instrument);
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible
    {
        (Histogram<double> Mirror, double Scale) target;
        lock (gate)
        {
            if (!mirrors.TryGetValue(instrument, out target)) return;
        }

        target.Mirror.Record(value.ToDouble(System.Globalization.CultureInfo.InvariantCulture) * target.Scale, tags);
    }
}
