using System.CommandLine;
using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Silo.Bench;
using Lethe.Silo.Bench.Cluster;
using Lethe.Silo.Hosting;
using Lethe.Silo.Bench.Paper;
using Lethe.Silo.Bench.Schedules;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Commands;

/// <summary><c>bench</c>: benchmarks with JSON results.</summary>
internal static class BenchCommand
{
    private const int MaxBatchSize = 60_000;

    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks (JSON with --json)");
        bench.Subcommands.Add(Train());
        bench.Subcommands.Add(Paper());
        bench.Subcommands.Add(ClusterCommand());
        bench.Subcommands.Add(Schedules());
        return bench;
    }

    private static Command ClusterCommand()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var users = new Option<int>("--users") { Description = "Users forgotten one at a time", DefaultValueFactory = _ => 20 };
        var burst = new Option<int>("--burst") { Description = "Users forgotten at once", DefaultValueFactory = _ => 200 };
        var owners = new Option<int>("--owners") { Description = "Zipf(1.5) owners of the burst's model", DefaultValueFactory = _ => 1000 };
        var silos = new Option<int>("--silos") { Description = "Silos: lethe serve processes over --connection (default 1: the embedded default in this process)", DefaultValueFactory = _ => 1 };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string the silos cluster and store through (needed for --silos above 1)" };
        var records = new Option<int?>("--records") { Description = "MNIST training records the models are trained on (default all 60,000)" };
        foreach (var option in new[] { users, burst, owners, silos }) option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{option.Name} must be at least 1."); });
        records.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 100 or > 60_000) r.AddError("--records takes a count from 100 to 60000."); });
        var command = new Command("cluster", "Deletions through the HTTP API of a cluster, beside the same work in-process (a few minutes)")
        {
            data, threads, json, seed, users, burst, owners, silos, connection, records,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            CommonOptions.PrepareCompute(parse.GetValue(threads));
            if (parse.GetValue(burst) > parse.GetValue(owners)) throw new ArgumentException("--burst cannot exceed --owners.");
            var count = parse.GetValue(silos);
            var postgres = parse.GetValue(connection);
            if (count > 1 && postgres is null) throw new ArgumentException($"--silos {count} needs --connection: the silos cluster through PostgreSQL.");
            if (postgres is not null) Storage.StoreDatabase.Postgres(postgres).Dispose();
            var train = ImageDatasets.Load("mnist", Split.Train, parse.GetValue(data));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var run = new ClusterRun(train, parse.GetValue(data), parse.GetValue(seed), parse.GetValue(records), Learning.Blas.Gemm.Threads, line => Console.Error.WriteLine(line));
            var report = postgres is null
                ? await run.Embedded(parse.GetValue(users), parse.GetValue(burst), parse.GetValue(owners), cancellationToken)
                : await run.OverPostgres(count, postgres, parse.GetValue(users), parse.GetValue(burst), parse.GetValue(owners), cancellationToken);
            report = report with { BlasCore = Learning.Blas.OpenBlasLibrary.Instance.Kernel.Core, Threads = Learning.Blas.Gemm.Threads, TotalSeconds = clock.Elapsed.TotalSeconds };
            if (parse.GetValue(json)) await Console.Out.WriteLineAsync(JsonOutput.Serialize(report));
            else foreach (var bar in report.Bar) await Console.Out.WriteLineAsync($"{(bar.Met ? "met" : "MISSED")}: {bar.Figure}: {bar.Value:G4} ({bar.Bar})");
            return 0;
        }));
        return command;
    }

    private static Command Schedules()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var command = new Command("schedules", "The SISA slice schedules tried: ensemble accuracy, training time and p50 one-user deletion (a few minutes)")
        {
            data, threads, json, seed,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            CommonOptions.PrepareCompute(parse.GetValue(threads));
            var mnist = MnistData.Load(parse.GetValue(data));
            var report = new ScheduleBenchmark(mnist, parse.GetValue(seed), line => Console.Error.WriteLine(line)).Run();
            if (parse.GetValue(json)) await Console.Out.WriteLineAsync(JsonOutput.Serialize(report));
            return 0;
        }));
        return command;
    }

    private static Command Paper()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var output = new Option<string>("--out")
        {
            Description = "Folder for the CSV files, SVG charts and paper.json",
            DefaultValueFactory = _ => Path.Combine("artifacts", "bench-paper"),
        };
        var runtimeOnly = new Option<bool>("--runtime-only")
        {
            Description = "Only the three runtime experiments (with auto's summary and the cost model's accuracy), written to runtime.json",
        };
        var command = new Command("paper", "The seed paper's tables and runtime experiments on MNIST (several minutes)")
        {
            data, threads, json, seed, output, runtimeOnly,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            CommonOptions.PrepareCompute(parse.GetValue(threads));
            var folder = OutputFolder.Prepare(parse.GetValue(output)!, "--out");
            var mnist = MnistData.Load(parse.GetValue(data));
            var benchmark = new PaperBenchmark(mnist, parse.GetValue(seed), folder, line => Console.Error.WriteLine(line));
            if (parse.GetValue(runtimeOnly))
            {
                var runtime = JsonOutput.Serialize(benchmark.RunRuntimeOnly());
                await File.WriteAllTextAsync(Path.Combine(folder, "runtime.json"), runtime, cancellationToken);
                if (parse.GetValue(json)) await Console.Out.WriteLineAsync(runtime);
                return 0;
            }

            var report = benchmark.Run();
            var text = JsonOutput.Serialize(report);
            await File.WriteAllTextAsync(Path.Combine(folder, "paper.json"), text, cancellationToken);
            if (parse.GetValue(json)) await Console.Out.WriteLineAsync(text);
            else PaperSummary.Print(report);
            return 0;
        }));
        return command;
    }

    private static Command Train()
    {
        var data = CommonOptions.Data();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var batchSizes = new Option<int[]>("--batch-sizes")
        {
            Description = "Batch sizes to measure",
            DefaultValueFactory = _ => [64, 256],
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => [.. OptionValues.Integers(result, 1, MaxBatchSize).Select(size => (int)size)],
        };
        var optimisers = new Option<string[]>("--optimisers")
        {
            Description = "Recipes to measure: adam (base models, retrain) and sgd (SISA shards)",
            DefaultValueFactory = _ => ["adam", "sgd"],
            AllowMultipleArgumentsPerToken = true,
        };
        optimisers.AcceptOnlyFromAmong([.. TrainBenchmark.Recipes.Keys]);
        var backends = new Option<string[]>("--backends")
        {
            Description = "Compute backends to measure, in one run: blas (Lethe's core on OpenBLAS) and torch (libtorch; on a GPU when there is one)",
            DefaultValueFactory = _ => ["blas"],
            AllowMultipleArgumentsPerToken = true,
        };
        backends.AcceptOnlyFromAmong("blas", "torch");
        var command = new Command("train", "Train the default MLP one epoch on MNIST per backend, optimiser and batch size; report throughput against the backend's peak")
        {
            data, threads, json, batchSizes, optimisers, backends,
        };
        command.SetAction((parse, cancellationToken) => CommandErrors.Run(async () =>
        {
            CommonOptions.PrepareCompute(parse.GetValue(threads));
            var asJson = parse.GetValue(json);
            var engines = parse.GetValue(backends)!.Distinct().Select(name => ComputeBackends.Create(name)).ToArray();
            var train = ImageDatasets.Load("mnist", Split.Train, parse.GetValue(data));
            var test = ImageDatasets.Load("mnist", Split.Test, parse.GetValue(data));
            var result = TrainBenchmark.Run(train, test, engines, parse.GetValue(optimisers)!, parse.GetValue(batchSizes)!, line => Console.Error.WriteLine(line));
            if (asJson) await Console.Out.WriteLineAsync(JsonOutput.Serialize(result));
            return 0;
        }));
        return command;
    }
}
