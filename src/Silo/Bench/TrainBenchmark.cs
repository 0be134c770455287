using System.Diagnostics;
using Lethe.Learning.Blas;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;

namespace Lethe.Silo.Bench;

/// <summary>Throughput of one training epoch at one batch size with one optimiser, against the machine's BLAS.</summary>
internal sealed record BatchThroughput(
    string Optimiser,
    int BatchSize,
    double Seconds,
    double SamplesPerSecond,
    long FlopsPerSample,
    double Gflops,
    double GemmOnlyGflops,
    double GemmFraction,
    double PeakGflops,
    double PeakFraction,
    double TestAccuracy);

/// <summary>What <c>bench train</c> reports.</summary>
internal sealed record TrainBenchmarkResult(
    string Dataset,
    int[] Model,
    int Threads,
    string Blas,
    string BlasCore,
    string Method,
    CoreToCore CoresBefore,
    CoreToCore CoresAfter,
    IReadOnlyList<BatchThroughput> Batches);

/// <summary>
/// Trains the default MLP for one epoch per batch size and compares its speed with the same
/// sequence of products timed alone (<c>gemm_fraction</c>) and with a 1024^3 product (<c>peak_fraction</c>).
/// </summary>
/// <remarks>
/// The epoch is timed in segments; after each, the segment's own products are replayed alone and a
/// 1024^3 product is timed, so all three figures share the machine's state of the moment (these VMs
/// are noisy) and each ratio is measured within one run.
/// </remarks>
internal static class TrainBenchmark
{
    private const long Seed = 20261124;
    private static readonly int[] WarmUpBatchSizes = [64, 256];
    private const int Segments = 16;
    private const int PeakSize = 1024;
    private const string Method =
        "epoch timed in 16 segments (training steps only: gather, forward, loss, backward, optimiser); after each segment its sgemm " +
        "sequence is replayed alone and one 1024^3 sgemm is timed; fractions are ratios of summed times";

    /// <summary>The recipes measured: Adam trains base models and retrains; SGD with momentum trains and replays SISA shards.</summary>
    public static readonly IReadOnlyDictionary<string, TrainingOptions> Recipes = new Dictionary<string, TrainingOptions>
    {
        ["adam"] = new() { Epochs = 1 },
        ["sgd"] = new ShardingOptions().Training with { Epochs = 1 },
    };

    public static TrainBenchmarkResult Run(Dataset train, Dataset test, IReadOnlyList<string> optimisers, IReadOnlyList<int> batchSizes, Action<string> log)
    {
        var threads = Gemm.Threads;
        var blas = OpenBlasLibrary.Instance;
        log($"OpenBLAS {blas.Name}, kernel {blas.Kernel}, {threads} threads");
        var coresBefore = MeasureCores(log);
        WarmUp(train);
        var results = new List<BatchThroughput>();
        foreach (var (optimiser, batchSize) in optimisers.SelectMany(o => batchSizes.Select(b => (o, b))))
        {
            var result = Measure(train, test, Recipes[optimiser] with { BatchSize = batchSize });
            log($"{optimiser}, batch {batchSize}: {result.SamplesPerSecond:F0} samples/s, {result.Gflops:F1} GFLOP/s " +
                $"(sgemm alone {result.GemmOnlyGflops:F1}, 1024^3 {result.PeakGflops:F1}): gemm_fraction {result.GemmFraction:F3}, " +
                $"peak_fraction {result.PeakFraction:F3}, test accuracy {result.TestAccuracy:P2}");
            results.Add(result);
        }

        var coresAfter = MeasureCores(log);
        return new TrainBenchmarkResult("mnist", [.. Mlp.DefaultSizes], threads, blas.Name, blas.Kernel.Core, Method, coresBefore, coresAfter, results);
    }

    private static CoreToCore MeasureCores(Action<string> log)
    {
        var cores = CoreToCoreProbe.Measure();
        log($"cores: {cores.RoundTripNanoseconds:F0} ns round trip; rewriting data the other core has read is {cores.SharedRewriteSlowdown:F1}x slower than unshared");
        return cores;
    }

    private static BatchThroughput Measure(Dataset train, Dataset test, TrainingOptions options)
    {
        var batchSize = options.BatchSize;
        var model = Mlp.Create(Mlp.DefaultSizes, Seed);
        var optimiser = options.CreateOptimiser(model.Parameters.Length);
        var backprop = new Backpropagation(model, batchSize);
        var order = new int[train.Count];
        Trainer.Shuffle(train.AllIndices(), new TrainingSeed(Seed).ForEpoch(0), order);

        var steps = (order.Length + batchSize - 1) / batchSize;
        var replay = new GemmReplay();
        var square = new GemmShape(Transpose.No, Transpose.No, PeakSize, PeakSize, PeakSize);
        replay.Time([square]);
        double trainSeconds = 0, gemmSeconds = 0, peakSeconds = 0;
        long flops = 0, peakFlops = 0;
        for (var segment = 0; segment < Segments; segment++)
        {
            var first = steps * segment / Segments;
            var last = steps * (segment + 1) / Segments;
            IReadOnlyList<GemmShape> products;
            var clock = Stopwatch.StartNew();
            using (GemmTrace.Record(out products))
            {
                for (var step = first; step < last; step++) Trainer.Step(backprop, optimiser, train, order, step * batchSize, batchSize);
            }

            trainSeconds += clock.Elapsed.TotalSeconds;
            flops += products.Sum(p => p.Flops);
            gemmSeconds += replay.Time(products);
            peakSeconds += replay.Time([square]);
            peakFlops += square.Flops;
        }

        var gflops = flops / trainSeconds / 1e9;
        var gemmGflops = flops / gemmSeconds / 1e9;
        var peakGflops = peakFlops / peakSeconds / 1e9;
        var accuracy = Evaluator.Evaluate(new MlpClassifier(model), test).Accuracy;
        return new BatchThroughput(
            options.Optimiser, batchSize, trainSeconds, train.Count / trainSeconds, flops / train.Count, gflops, gemmGflops, gflops / gemmGflops,
            peakGflops, gflops / peakGflops, accuracy);
    }

    // Lets the JIT reach its optimised code for the training loop and the products before anything is timed.
    private static void WarmUp(Dataset train)
    {
        var model = Mlp.Create(Mlp.DefaultSizes, 1);
        var sample = train.AllIndices().AsSpan(0, Math.Min(train.Count, 20_000));
        foreach (var options in Recipes.Values.SelectMany(recipe => WarmUpBatchSizes.Select(batch => recipe with { BatchSize = batch })))
            Trainer.Train(model, options.CreateOptimiser(model.Parameters.Length), train, sample, options, new TrainingSeed(options.BatchSize));
    }
}
