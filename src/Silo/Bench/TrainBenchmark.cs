using System.Diagnostics;
using Lethe.Learning.Blas;
using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;
using Lethe.Learning.Torch;
using Lethe.Learning.Training;

namespace Lethe.Silo.Bench;

/// <summary>
/// Throughput of one training epoch at one batch size with one optimiser on one backend, against the
/// backend's own 1024^3 product (and, on blas, against the epoch's sgemm calls alone; null on torch).
/// </summary>
internal sealed record BatchThroughput(
    string Backend,
    string Optimiser,
    int BatchSize,
    double Seconds,
    double SamplesPerSecond,
    long FlopsPerSample,
    double Gflops,
    double? GemmOnlyGflops,
    double? GemmFraction,
    double PeakGflops,
    double PeakFraction,
    double TestAccuracy);

/// <summary>A backend measured: its name, device and engine (<see cref="IComputeBackend"/>).</summary>
internal sealed record BenchBackend(string Name, string Device, string Engine);

/// <summary>What <c>bench train</c> reports.</summary>
internal sealed record TrainBenchmarkResult(
    string Dataset,
    int[] Model,
    int Threads,
    string Blas,
    string BlasCore,
    IReadOnlyList<BenchBackend> Backends,
    string Method,
    CoreToCore CoresBefore,
    CoreToCore CoresAfter,
    IReadOnlyList<BatchThroughput> Batches);

/// <summary>
/// Trains the default MLP for one epoch per backend, optimiser and batch size and compares its speed
/// with the same sequence of products timed alone (<c>gemm_fraction</c>, blas only) and with a 1024^3
/// product on the same backend and device (<c>peak_fraction</c>).
/// </summary>
/// <remarks>
/// The epoch is timed in segments; after each, the segment's own products are replayed alone (blas) and a
/// 1024^3 product is timed, so all figures share the machine's state of the moment (these VMs are noisy)
/// and each ratio is measured within one run. Both backends train from the same initial weights on the
/// same shuffled order.
/// </remarks>
internal static class TrainBenchmark
{
    private const long Seed = 20261124;
    private static readonly int[] WarmUpBatchSizes = [64, 256];
    private const int Segments = 16;
    private const int PeakSize = 1024;
    private const string Method =
        "epoch timed in 16 segments (training steps only: gather, forward, loss, backward, optimiser); after each segment its sgemm " +
        "sequence is replayed alone and one 1024^3 sgemm is timed; fractions are ratios of summed times. torch: the epoch's rows are " +
        "gathered onto the device before timing, as its trainer does; after each segment one 1024^3 product is timed on the device; " +
        "FLOPs are the same products counted from the layer sizes; no sgemm replay (gemm_fraction null)";

    /// <summary>The recipes measured: Adam trains base models and retrains; SGD with momentum trains and replays SISA shards.</summary>
    public static readonly IReadOnlyDictionary<string, TrainingOptions> Recipes = new Dictionary<string, TrainingOptions>
    {
        ["adam"] = new() { Epochs = 1 },
        ["sgd"] = new ShardingOptions().Training with { Epochs = 1 },
    };

    public static TrainBenchmarkResult Run(
        Dataset train, Dataset test, IReadOnlyList<IComputeBackend> backends, IReadOnlyList<string> optimisers, IReadOnlyList<int> batchSizes, Action<string> log)
    {
        var threads = Gemm.Threads;
        var blas = OpenBlasLibrary.Instance;
        log($"OpenBLAS {blas.Name}, kernel {blas.Kernel}, {threads} threads");
        foreach (var backend in backends) log($"backend {backend.Name} on {backend.Device}: {backend.Engine}");
        var coresBefore = MeasureCores(log);
        var results = new List<BatchThroughput>();
        foreach (var backend in backends)
        {
            if (backend is TorchBackend torch) WarmUp(torch, train);
            else WarmUp(train);
            foreach (var (optimiser, batchSize) in optimisers.SelectMany(o => batchSizes.Select(b => (o, b))))
            {
                var options = Recipes[optimiser] with { BatchSize = batchSize };
                var result = backend is TorchBackend onTorch ? Measure(onTorch, train, test, options) : Measure(train, test, options);
                var gemm = result.GemmOnlyGflops is { } alone ? $"sgemm alone {alone:F1}, " : "";
                var gemmFraction = result.GemmFraction is { } value ? $"gemm_fraction {value:F3}, " : "";
                log($"{backend.Name}, {optimiser}, batch {batchSize}: {result.SamplesPerSecond:F0} samples/s, {result.Gflops:F1} GFLOP/s " +
                    $"({gemm}1024^3 {result.PeakGflops:F1}): {gemmFraction}peak_fraction {result.PeakFraction:F3}, test accuracy {result.TestAccuracy:P2}");
                results.Add(result);
            }
        }

        var coresAfter = MeasureCores(log);
        return new TrainBenchmarkResult(
            "mnist", [.. Mlp.DefaultSizes], threads, blas.Name, blas.Kernel.Core, [.. backends.Select(b => new BenchBackend(b.Name, b.Device, b.Engine))],
            Method, coresBefore, coresAfter, results);
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
        var order = EpochOrder(train);

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
            BlasBackend.Instance.Name, options.Optimiser, batchSize, trainSeconds, train.Count / trainSeconds, flops / train.Count, gflops, gemmGflops, gflops / gemmGflops,
            peakGflops, gflops / peakGflops, accuracy);
    }

    private static BatchThroughput Measure(TorchBackend backend, Dataset train, Dataset test, TrainingOptions options)
    {
        using var epoch = TorchTrainingSteps.Start(backend, Mlp.Create(Mlp.DefaultSizes, Seed), options, train, EpochOrder(train));
        var squareFlops = 2L * PeakSize * PeakSize * PeakSize;
        double trainSeconds = 0, peakSeconds = 0;
        long peakFlops = 0;
        for (var segment = 0; segment < Segments; segment++)
        {
            var clock = Stopwatch.StartNew();
            epoch.Run(epoch.StepCount * segment / Segments, epoch.StepCount * (segment + 1) / Segments);
            trainSeconds += clock.Elapsed.TotalSeconds;
            peakSeconds += backend.TimeSquareProduct(PeakSize);
            peakFlops += squareFlops;
        }

        var flopsPerSample = TrainingFlopsPerSample(Mlp.DefaultSizes);
        var gflops = flopsPerSample * (double)train.Count / trainSeconds / 1e9;
        var peakGflops = peakFlops / peakSeconds / 1e9;
        var accuracy = Evaluator.Evaluate(new BackendClassifier(backend, epoch.Model()), test).Accuracy;
        return new BatchThroughput(
            backend.Name, options.Optimiser, options.BatchSize, trainSeconds, train.Count / trainSeconds, flopsPerSample, gflops, null, null,
            peakGflops, gflops / peakGflops, accuracy);
    }

    // The products of a training step per example: forward (x W^T), weight gradients (D^T X) and, below the
    // output layer, input deltas (D W): 2 * inputs * outputs FLOPs each, as the blas backend's sgemm calls count them.
    private static long TrainingFlopsPerSample(int[] sizes) =>
        Enumerable.Range(0, sizes.Length - 1).Sum(i => 2L * sizes[i] * sizes[i + 1] * (i == 0 ? 2 : 3));

    private static int[] EpochOrder(Dataset train)
    {
        var order = new int[train.Count];
        Trainer.Shuffle(train.AllIndices(), new TrainingSeed(Seed).ForEpoch(0), order);
        return order;
    }

    // libtorch's first steps and products are slow (allocations, thread pool start, kernel choice): one untimed epoch part per recipe.
    private static void WarmUp(TorchBackend backend, Dataset train)
    {
        var sample = train.AllIndices()[..Math.Min(train.Count, 20_000)];
        foreach (var options in Recipes.Values.SelectMany(recipe => WarmUpBatchSizes.Select(batch => recipe with { BatchSize = batch })))
        {
            using var epoch = TorchTrainingSteps.Start(backend, Mlp.Create(Mlp.DefaultSizes, 1), options, train, sample);
            epoch.Run(0, epoch.StepCount);
        }

        backend.TimeSquareProduct(PeakSize);
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
