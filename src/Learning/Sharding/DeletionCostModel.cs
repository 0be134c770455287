using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Sharding;

/// <summary>
/// Predicts the seconds an exact deletion takes from the examples it trains and the measured speed of the
/// two recipes that can do it: the shards' (a SISA replay, or a shard retrained from scratch) and the
/// whole model's (a fresh model trained on every record kept). Each recipe has a throughput and a fixed
/// cost: per stage for a shard (the stage's set-up and its checkpoint), once for the whole model.
/// </summary>
/// <param name="ShardSamplesPerSecond">Examples per second the shard recipe trains.</param>
/// <param name="StageSeconds">Fixed seconds of each stage a shard trains.</param>
/// <param name="RetrainSamplesPerSecond">Examples per second the whole-model recipe trains.</param>
/// <param name="RetrainSetupSeconds">Fixed seconds of a whole-model retrain (fresh weights, optimiser).</param>
/// <param name="RetrainEpochs">Epochs of the whole-model recipe.</param>
public sealed record DeletionCostModel(
    double ShardSamplesPerSecond, double StageSeconds, double RetrainSamplesPerSecond, double RetrainSetupSeconds, int RetrainEpochs)
{
    /// <summary>Examples each recipe trains in each of the <see cref="Repetitions"/> windows <see cref="Measure"/> times its throughput over.</summary>
    public const int MeasuredSamples = 2048;

    /// <summary>How many times <see cref="Measure"/> times each figure; it keeps the median, so one interrupted timing does not set a figure.</summary>
    public const int Repetitions = 5;

    // The fixed costs are timed on training this small: R stages of this many records a slice, and one batch of records for the whole model.
    private const int TinySlice = 8;

    /// <summary>Throws an <see cref="ArgumentException"/> when a value is out of range.</summary>
    public DeletionCostModel Validate()
    {
        CheckPositive(ShardSamplesPerSecond, nameof(ShardSamplesPerSecond));
        CheckPositive(RetrainSamplesPerSecond, nameof(RetrainSamplesPerSecond));
        CheckNonNegative(StageSeconds, nameof(StageSeconds));
        CheckNonNegative(RetrainSetupSeconds, nameof(RetrainSetupSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(RetrainEpochs, nameof(RetrainEpochs));
        return this;
    }

    /// <summary>Predicted seconds of every exact path for a deletion planned as <paramref name="shards"/>.</summary>
    /// <param name="shards">One update per affected shard (from <see cref="ShardedModel.Plan"/> or gathered from each shard's own plan).</param>
    /// <param name="retainedRecords">Records the whole model keeps after the deletion.</param>
    /// <remarks>
    /// Replay: <c>samples / shard throughput + stages × stage seconds</c> (nothing for a dropped shard); from
    /// scratch the same with every stage; whole model: <c>setup + epochs × retained / retrain throughput</c>.
    /// </remarks>
    public DeletionCosts Predict(IReadOnlyCollection<ShardUpdatePlan> shards, int retainedRecords)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentOutOfRangeException.ThrowIfNegative(retainedRecords);
        Validate();
        var perShard = shards.Select(s => new ShardCost(
            s.Shard,
            ShardSeconds(s.SamplesToTrain, s.StagesToTrain),
            ShardSeconds(s.SamplesFromScratch, s.Remaining == 0 ? 0 : s.Slices))).ToArray();
        var retrain = retainedRecords == 0 ? 0 : RetrainSetupSeconds + ((double)RetrainEpochs * retainedRecords / RetrainSamplesPerSecond);
        return new DeletionCosts(perShard, retrain);
    }

    /// <summary>
    /// Measures both recipes on <paramref name="data"/>: each trains <see cref="Repetitions"/> windows of
    /// <see cref="MeasuredSamples"/> examples (after a few untimed steps, so compilation is not counted) for its
    /// throughput; a shard of R tiny slices and a whole model of one batch, each trained <see cref="Repetitions"/>
    /// times, give the fixed costs. Every figure is the median of its timings.
    /// </summary>
    public static DeletionCostModel Measure(Dataset data, ShardingOptions sharding, RetrainOptions retrain, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sharding);
        ArgumentNullException.ThrowIfNull(retrain);
        var shardRecipe = sharding.Validate().Training;
        var wholeRecipe = retrain.Validate().Training;
        if (data.Count < sharding.Slices * TinySlice) throw new ArgumentException($"Measuring needs at least {sharding.Slices * TinySlice} records.", nameof(data));
        var shardThroughput = SamplesPerSecond(data, sharding.ModelSizes, shardRecipe, seed);
        var retrainThroughput = SamplesPerSecond(data, sharding.ModelSizes, wholeRecipe, seed);

        var slices = Enumerable.Range(0, sharding.Slices).Select(s => (IReadOnlyList<int>)Enumerable.Range(s * TinySlice, TinySlice).ToArray()).ToArray();
        var tinyShardSamples = ShardTrainer.SamplesToTrain(slices.Select(s => s.Count).ToArray(), 0, sharding);
        var stageSeconds = (MedianSeconds(() => ShardTrainer.Run(data, 0, slices, 0, default, sharding, seed)) - (tinyShardSamples / shardThroughput)) / sharding.Slices;

        var batch = data.AllIndices()[..Math.Min(data.Count, wholeRecipe.BatchSize)];
        var setupSeconds = MedianSeconds(() => Retrain.TrainFresh(sharding.ModelSizes, data, batch, wholeRecipe, seed)) - ((double)wholeRecipe.Epochs * batch.Length / retrainThroughput);

        return new DeletionCostModel(shardThroughput, Math.Max(0, stageSeconds), retrainThroughput, Math.Max(0, setupSeconds), wholeRecipe.Epochs);
    }

    private double ShardSeconds(long samples, int stages) => (samples / ShardSamplesPerSecond) + (stages * StageSeconds);

    private static double SamplesPerSecond(Dataset data, IReadOnlyList<int> sizes, TrainingOptions recipe, long seed)
    {
        var records = data.AllIndices()[..Math.Min(data.Count, MeasuredSamples)];
        var oneEpoch = recipe with { Epochs = 1 };
        var model = Mlp.Create(sizes, seed);
        var optimiser = recipe.CreateOptimiser(model.Parameters.Length);
        Trainer.Train(model, optimiser, data, records.AsSpan(0, Math.Min(records.Length, 4 * recipe.BatchSize)), oneEpoch, new TrainingSeed(seed));
        return records.Length / MedianSeconds(() => Trainer.Train(model, optimiser, data, records, oneEpoch, new TrainingSeed(seed)));
    }

    private static double MedianSeconds<T>(Func<T> work)
    {
        var seconds = new double[Repetitions];
        for (var i = 0; i < seconds.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            work();
            seconds[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        Array.Sort(seconds);
        return seconds[Repetitions / 2];
    }

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value))) throw new ArgumentOutOfRangeException(name, value, "Must be a finite number above 0.");
    }

    private static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value))) throw new ArgumentOutOfRangeException(name, value, "Must be a finite number of at least 0.");
    }
}
