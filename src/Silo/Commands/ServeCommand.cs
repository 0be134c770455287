using System.CommandLine;
using System.Net;
using Lethe.Silo.Api;
using Lethe.Silo.Hosting;

namespace Lethe.Silo.Commands;

/// <summary><c>serve</c>: one silo with the HTTP API, on the embedded default (SQLite file, localhost clustering) unless configured otherwise.</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where the HTTP API listens", DefaultValueFactory = _ => DefaultUrls };
        var store = new Option<string?>("--store") { Description = "The SQLite file of the embedded store (default lethe.db; Lethe:Store:* configures PostgreSQL)" };
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var command = new Command("serve", "Run a silo with the HTTP API (Ctrl-C stops it)") { urls, store, data, threads };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            CommonOptions.PrepareCompute(parse.GetValue(threads));
            var listen = parse.GetValue(urls)!;
            var settings = new Dictionary<string, string?> { ["urls"] = listen };
            if (parse.GetValue(store) is { } path) settings["Lethe:Store:Path"] = path;
            if (parse.GetValue(data) is { } root) settings["Lethe:Data:Root"] = root;
            await using var app = LetheHost.Build(settings);
            if (!app.Services.GetRequiredService<ApiKeys>().Required && !AllLoopback(listen))
                throw new ArgumentException($"--urls {listen} is reachable from other machines: set API keys (Lethe:Api:Keys or {ApiKeys.EnvironmentVariable}) first.");
            await app.RunAsync(cancellationToken);
            return 0;
        }));
        return command;
    }

    private static bool AllLoopback(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(url =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Host == "localhost" || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address))));
}
