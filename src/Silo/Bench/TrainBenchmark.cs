using System.Diagnostics;
using Lethe.Learning.Blas;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Silo.Bench;

/// <summary>Throughput of one training epoch at one batch size, against the machine's BLAS.</summary>
internal sealed record BatchThroughput(
    int BatchSize,
    double Seconds,
    double SamplesPerSecond,
    long FlopsPerSample,
    double Gflops,
    double GemmOnlyGflops,
    double GemmFraction,
    double PeakFraction,
    double TestAccuracy);

/// <summary>What <c>bench train</c> reports.</summary>
internal sealed record TrainBenchmarkResult(
    string Dataset,
    int[] Model,
    int Threads,
    string Blas,
    double PeakGflops,
    IReadOnlyList<BatchThroughput> Batches);

/// <summary>
/// Trains the default MLP for one epoch per batch size and compares its speed with the same
/// sequence of products timed alone (<c>gemm_fraction</c>) and with a 1024^3 product (<c>peak_fraction</c>).
/// </summary>
internal static class TrainBenchmark
{
    private const long Seed = 20261124;

    public static TrainBenchmarkResult Run(Dataset train, Dataset test, IReadOnlyList<int> batchSizes, Action<string> log)
    {
        var threads = Gemm.Threads;
        log($"OpenBLAS {OpenBlasLibrary.Instance.Name}, {threads} threads");
        WarmUp(train);
        var peak = GemmReplay.SquareGflops(1024, 1.0);
        log($"1024^3 sgemm: {peak:F1} GFLOP/s");

        var results = new List<BatchThroughput>();
        foreach (var batchSize in batchSizes)
        {
            var result = Measure(train, test, batchSize, peak);
            log($"batch {batchSize}: {result.SamplesPerSecond:F0} samples/s, {result.Gflops:F1} GFLOP/s, gemm_fraction {result.GemmFraction:F3}, peak_fraction {result.PeakFraction:F3}, test accuracy {result.TestAccuracy:P2}");
            results.Add(result);
        }

        return new TrainBenchmarkResult("mnist", [.. Mlp.DefaultSizes], threads, OpenBlasLibrary.Instance.Name, peak, results);
    }

    private static BatchThroughput Measure(Dataset train, Dataset test, int batchSize, double peak)
    {
        var model = Mlp.Create(Mlp.DefaultSizes, Seeds.Derive(Seed, Seeds.Purpose.Initialisation));
        var options = new TrainingOptions { Epochs = 1, BatchSize = batchSize };
        var optimiser = options.CreateOptimiser(model.Parameters.Length);
        var indices = train.AllIndices();

        IReadOnlyList<GemmShape> products;
        var clock = Stopwatch.StartNew();
        using (GemmTrace.Record(out products))
        {
            Trainer.Train(model, optimiser, train, indices, options, new TrainingSeed(Seed));
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var flops = products.Sum(p => p.Flops);
        var gemmSeconds = GemmReplay.Time(products);
        var gflops = flops / seconds / 1e9;
        var gemmGflops = flops / gemmSeconds / 1e9;
        var accuracy = Evaluator.Evaluate(new MlpClassifier(model), test).Accuracy;
        return new BatchThroughput(
            batchSize, seconds, train.Count / seconds, flops / train.Count, gflops, gemmGflops, gflops / gemmGflops, gflops / peak, accuracy);
    }

    // Lets the JIT reach its optimised code for the training loop before anything is timed.
    private static void WarmUp(Dataset train)
    {
        var model = Mlp.Create(Mlp.DefaultSizes, 1);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64 };
        var sample = train.AllIndices().AsSpan(0, Math.Min(train.Count, 12_800));
        for (var i = 0; i < 2; i++)
            Trainer.Train(model, options.CreateOptimiser(model.Parameters.Length), train, sample, options, new TrainingSeed(i));
    }
}
