using System.Diagnostics;
using System.Net;
using System.Text;
using Lethe.Silo.Hosting;

namespace Lethe.Silo.Tests.Api;

/// <summary>
/// A real <c>lethe serve</c> process on loopback: HTTP, silo and gateway ports of its own (free ones, so it
/// never meets another silo's), the store file given, MNIST from the shared data folder.
/// </summary>
public sealed class LetheServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly StringBuilder log = new();

    private LetheServer(Process process, string store, int httpPort, int gatewayPort, IReadOnlyDictionary<string, string> environment)
    {
        this.process = process;
        Store = store;
        GatewayPort = gatewayPort;
        Environment = environment;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The process's id (its /proc entry).</summary>
    public int ProcessId => process.Id;

    public HttpClient Http { get; }

    public string Store { get; }

    public int GatewayPort { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>What the process has printed so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <summary>Starts a server on <paramref name="store"/> and returns once <c>/readyz</c> answers 200.</summary>
    public static async Task<LetheServer> StartAsync(string store, IReadOnlyDictionary<string, string>? environment = null)
    {
        var ports = LoopbackPorts.Free(3);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = System.IO.Path.GetDirectoryName(store)!,
        };
        foreach (var argument in new[] { System.IO.Path.Combine(AppContext.BaseDirectory, "lethe.dll"), "serve", "--urls", $"http://127.0.0.1:{ports[0]}", "--store", store, "--data", TestDataFolder.Path })
            start.ArgumentList.Add(argument);
        start.Environment["Lethe__Silo__SiloPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Lethe__Silo__GatewayPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start lethe serve.");
        var server = new LetheServer(process, store, ports[0], ports[2], environment ?? new Dictionary<string, string>());
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Kills the process at once (SIGKILL: no shutdown, no flushing) and starts a new one on the same store.</summary>
    public async Task<LetheServer> KillAndRestartAsync()
    {
        await KillAsync();
        return await StartAsync(Store, Environment);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        process.Dispose();
    }

    private async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private async Task WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"lethe serve exited with {process.ExitCode}:\n{Log}");
            try
            {
                using var ready = await Http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await KillAsync();
        throw new TimeoutException($"lethe serve was not ready within {StartTimeout.TotalSeconds} s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }
}
