using System.CommandLine;
using System.CommandLine.Parsing;
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
        var urls = new Option<string>("--urls")
        {
            Description = "Where the HTTP API listens: http:// or https:// URLs separated by ';'",
            DefaultValueFactory = _ => DefaultUrls,
            CustomParser = ParseUrls,
        };
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

    private static string ParseUrls(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var urls = Split(text);
        if (urls.Length == 0) result.AddError("--urls needs at least one URL");
        foreach (var url in urls)
        {
            if (ToUri(url) is not { Scheme: "http" or "https" })
            {
                result.AddError($"--urls: '{url}' is not an http:// or https:// URL");
                break;
            }
        }

        return text;
    }

    private static string[] Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Kestrel's wildcard hosts (http://*:8080, http://+:8080) listen on every address.
    private static Uri? ToUri(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null;

    private static bool AllLoopback(string urls) => Split(urls).All(url =>
        ToUri(url) is { } uri && (uri.Host == "localhost" || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address))));
}
