using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Lethe.Silo.Tests.Api;
using Lethe.Silo.Hosting;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a loopback port, with deploy/prometheus's <c>lethe</c> job scraping
/// the given silos (static targets in place of its service discovery) every 2 s and its rules evaluated every 2 s.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly Process process;
    private readonly string folder;

    private PrometheusServer(Process process, string folder, Uri address)
    {
        this.process = process;
        this.folder = folder;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public static async Task<PrometheusServer> StartAsync(IEnumerable<Uri> silos)
    {
        var folder = Directory.CreateTempSubdirectory("lethe-prometheus-").FullName;
        var configuration = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(configuration, Configuration(silos).ToJsonString()); // JSON is YAML
        var port = LoopbackPorts.Free(1)[0];
        var start = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"--config.file={configuration}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("prometheus is not installed: ./scripts/test.sh installs Debian's prometheus package.", e);
        }

        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) log.Enqueue(text); };
        process.OutputDataReceived += (_, line) => { if (line.Data is { } text) log.Enqueue(text); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}"));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{string.Join('\n', log)}");
            try
            {
                using var ready = await server.Http.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"prometheus was not ready within 60 s:\n{string.Join('\n', log)}");
            await Task.Delay(200);
        }
    }

    /// <summary><c>/api/v1/query</c> at the current time: the result vector (status success asserted).</summary>
    public async Task<JsonArray> QueryAsync(string expression)
    {
        var answer = await GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expression)}");
        Assert.True((string?)answer["status"] == "success", $"{expression}: {answer.ToJsonString()}");
        Assert.Equal("vector", (string?)answer["data"]!["resultType"]);
        return answer["data"]!["result"]!.AsArray();
    }

    /// <summary>The value of a single-sample query.</summary>
    public async Task<double> ValueAsync(string expression)
    {
        var result = await QueryAsync(expression);
        return result.Count == 1 ? Value(result[0]!) : throw new InvalidOperationException($"{expression} returned {result.Count} samples: {result.ToJsonString()}");
    }

    /// <summary>Polls <paramref name="expression"/> until its result satisfies <paramref name="done"/>.</summary>
    public async Task<JsonArray> UntilAsync(string expression, Func<JsonArray, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = await QueryAsync(expression);
            if (done(result)) return result;
            if (clock.Elapsed > timeout) throw new TimeoutException($"{expression} did not reach the expected answer within {timeout.TotalSeconds} s; last: {result.ToJsonString()}");
            await Task.Delay(250);
        }
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A sample's value (Prometheus sends <c>[time, "value"]</c>).</summary>
    public static double Value(JsonNode sample) => double.Parse((string)sample["value"]![1]!, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    // deploy/prometheus/prometheus.yml with its lethe job's discovery replaced by the silos, intervals shortened and the rules file by its path.
    private static JsonObject Configuration(IEnumerable<Uri> silos)
    {
        var configuration = YamlDocuments.ParseOne(File.ReadAllText(PrometheusFiles.Config));
        var seconds = $"{Interval.TotalSeconds}s";
        configuration["global"] = new JsonObject { ["scrape_interval"] = seconds, ["scrape_timeout"] = seconds, ["evaluation_interval"] = seconds };
        configuration["rule_files"] = new JsonArray(PrometheusFiles.Rules);
        var job = configuration["scrape_configs"]!.AsArray().Single(j => (string)j!["job_name"]! == PrometheusFiles.Job)!.AsObject();
        job.Remove("dns_sd_configs");
        job["static_configs"] = new JsonArray(new JsonObject { ["targets"] = new JsonArray([.. silos.Select(s => (JsonNode)s.Authority)]) });
        configuration["scrape_configs"] = new JsonArray(job.DeepClone());
        return configuration;
    }
}
