using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lethe.Silo.Hosting;

namespace Lethe.Cluster.Tests;

/// <summary>
/// A real <c>lethe serve</c> process on loopback: its own HTTP, silo and gateway ports, a store file,
/// killed with SIGKILL when asked (never stopped gracefully unless disposed).
/// </summary>
public sealed class LetheServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    private LetheServer(Process process, Ports ports, string store, IReadOnlyDictionary<string, string> environment)
    {
        this.process = process;
        Address = new Uri($"http://127.0.0.1:{ports.Http}");
        Store = store;
        this.ports = ports;
        this.environment = environment;
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    private readonly Ports ports;
    private readonly IReadOnlyDictionary<string, string> environment;

    public Uri Address { get; }

    public string Store { get; }

    public HttpClient Http { get; }

    /// <summary>Starts a server on free ports; returns once <c>/readyz</c> answers.</summary>
    public static Task<LetheServer> StartAsync(string store, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync(store, Ports.Free(), environment ?? new Dictionary<string, string>());

    /// <summary>Kills this server (SIGKILL) and starts another on the same store, ports and settings.</summary>
    public async Task<LetheServer> KillAndRestartAsync()
    {
        await KillAsync();
        Http.Dispose();
        process.Dispose();
        return await StartAsync(Store, ports, environment);
    }

    private static async Task<LetheServer> StartAsync(string store, Ports ports, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(store)! };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "lethe.dll"), "serve", "--urls", $"http://127.0.0.1:{ports.Http}", "--store", store, "--data", DataFolder() })
            start.ArgumentList.Add(argument);
        start.Environment["Lethe__Silo__SiloPort"] = ports.Silo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Lethe__Silo__GatewayPort"] = ports.Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start lethe serve.");
        var server = new LetheServer(process, ports, store, environment);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"lethe serve exited with {process.ExitCode} before it was ready:\n{server.Log}");
            try
            {
                if ((await server.Http.GetAsync("/readyz")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"lethe serve did not become ready:\n{server.Log}");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: the process ends at once, mid-write or mid-replay.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async Task<JsonNode> PostAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}\n{Log}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> holds.</summary>
    public async Task<JsonNode> UntilAsync(string path, Func<JsonNode, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var node = await GetAsync(path);
            if (done(node)) return node;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} did not reach the state asked for in {timeout}: {node.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}");
            await Task.Delay(100);
        }
    }

    /// <summary>The status <paramref name="path"/> answers with once the cluster answers it at all (not 503).</summary>
    public async Task<HttpStatusCode> AnsweredStatusAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await Http.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable) return response.StatusCode;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} still answered 503 after {timeout}.");
            await Task.Delay(200);
        }
    }

    /// <summary>The server's last lines of output, for failure messages.</summary>
    public string Log => string.Join('\n', output);

    private void Keep(string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > 100) output.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited) await KillAsync();
        process.Dispose();
    }

    public static string DataFolder()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LETHE_DATA");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        return Path.GetFullPath(Path.Combine(RepositoryFolder(), "..", "shared", "data"));
    }

    /// <summary>The clone's root (the folder holding Cluster.sln).</summary>
    public static string RepositoryFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cluster.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}.");
    }

    private sealed record Ports(int Http, int Silo, int Gateway)
    {
        public static Ports Free() => LoopbackPorts.Free(3) is [var http, var silo, var gateway] ? new(http, silo, gateway) : throw new InvalidOperationException();
    }
}
