using System.Diagnostics;
using System.Globalization;
using System.Net;
using Lethe.Silo.Hosting;

namespace Lethe.Silo.Bench.Cluster;

/// <summary>
/// <c>lethe serve</c> silos started as processes of this executable on loopback, over one PostgreSQL, as a cluster of
/// its own (a fresh service and cluster id, so an earlier run's grains and members are not met); killed on dispose.
/// </summary>
internal sealed class ServeProcesses : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly List<(Process Process, Uri Address)> silos = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> firstErrors = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> errors = new();

    private ServeProcesses()
    {
    }

    /// <summary>Each silo's HTTP API.</summary>
    public IReadOnlyList<Uri> Addresses => [.. silos.Select(s => s.Address)];

    /// <exception cref="InvalidOperationException">A silo exited or did not become ready (its last output in the message).</exception>
    public static async Task<ServeProcesses> StartAsync(int count, string connectionString, string? dataRoot, int threads, CancellationToken cancellationToken)
    {
        var cluster = new ServeProcesses();
        var id = "bench-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            // Every silo's ports at once: they are all started before any listens.
            var ports = LoopbackPorts.Free(3 * count);
            for (var i = 0; i < count; i++) cluster.silos.Add(cluster.Start(i, ports[(3 * i)..(3 * i + 3)], id, connectionString, dataRoot, threads));
            await Task.WhenAll(cluster.silos.Select(s => cluster.WaitUntilReady(s.Process, s.Address, cancellationToken)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private (Process, Uri) Start(int index, int[] ports, string clusterId, string connectionString, string? dataRoot, int threads)
    {
        var address = new Uri($"http://127.0.0.1:{ports[0]}");
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Under `dotnet lethe.dll` the process path is dotnet's: name the assembly.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ServeProcesses).Assembly.Location);
        foreach (var argument in new[] { "serve", "--urls", address.ToString().TrimEnd('/'), "--threads", threads.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        if (dataRoot is not null)
        {
            start.ArgumentList.Add("--data");
            start.ArgumentList.Add(dataRoot);
        }

        var settings = new Dictionary<string, string>
        {
            ["Lethe__Store__Provider"] = "postgres",
            ["Lethe__Store__ConnectionString"] = connectionString,
            ["Lethe__Store__MigrateOnStart"] = "true",
            ["Lethe__Silo__AdvertisedAddress"] = "127.0.0.1",
            ["Lethe__Silo__SiloPort"] = ports[1].ToString(CultureInfo.InvariantCulture),
            ["Lethe__Silo__GatewayPort"] = ports[2].ToString(CultureInfo.InvariantCulture),
            ["Lethe__Silo__ServiceId"] = clusterId,
            ["Lethe__Silo__ClusterId"] = clusterId,
            ["Lethe__Silo__Name"] = $"{clusterId}-{index}",
        };
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start lethe serve.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, address);
    }

    // The first lines (an unhandled exception's message) and the last.
    private void Keep(string? line)
    {
        if (line is null) return;
        if (firstErrors.Count < 10) firstErrors.Enqueue(line);
        else errors.Enqueue(line);
        while (errors.Count > 10) errors.TryDequeue(out _);
    }

    private async Task WaitUntilReady(Process process, Uri address, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"lethe serve ({address}) exited with {process.ExitCode}: {string.Join(" | ", firstErrors.Concat(errors))}");
            try
            {
                using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"lethe serve ({address}) was not ready within {StartTimeout.TotalSeconds} s.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in silos)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
