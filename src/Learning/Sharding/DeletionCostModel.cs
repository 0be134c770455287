using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Sharding;

/// <summary>
/// Predicts the seconds an exact deletion takes from the examples it trains and the measured throughput
/// of the two recipes that can do it: the shards' (a SISA replay or a shard retrained from scratch) and
/// the whole model's (a fresh model trained on every record kept).
/// </summary>
/// <param name="ShardSamplesPerSecond">Examples per second the shard recipe trains, measured.</param>
/// <param name="RetrainSamplesPerSecond">Examples per second the whole-model recipe trains, measured.</param>
/// <param name="RetrainEpochs">Epochs of the whole-model recipe.</param>
public sealed record DeletionCostModel(double ShardSamplesPerSecond, double RetrainSamplesPerSecond, int RetrainEpochs)
{
    /// <summary>Examples each recipe trains while <see cref="Measure"/> times it.</summary>
    public const int MeasuredSamples = 8192;

    /// <summary>Throws an <see cref="ArgumentException"/> when a value is out of range.</summary>
    public DeletionCostModel Validate()
    {
        if (!(ShardSamplesPerSecond > 0 && double.IsFinite(ShardSamplesPerSecond)))
            throw new ArgumentOutOfRangeException(nameof(ShardSamplesPerSecond), ShardSamplesPerSecond, "Throughput must be a finite number above 0.");
        if (!(RetrainSamplesPerSecond > 0 && double.IsFinite(RetrainSamplesPerSecond)))
            throw new ArgumentOutOfRangeException(nameof(RetrainSamplesPerSecond), RetrainSamplesPerSecond, "Throughput must be a finite number above 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(RetrainEpochs, nameof(RetrainEpochs));
        return this;
    }

    /// <summary>Predicted seconds of every exact path for a deletion planned as <paramref name="shards"/>.</summary>
    /// <param name="shards">One update per affected shard (from <see cref="ShardedModel.Plan"/> or from each shard's own plan).</param>
    /// <param name="retainedRecords">Records the whole model keeps after the deletion.</param>
    public DeletionCosts Predict(IReadOnlyCollection<ShardUpdatePlan> shards, int retainedRecords)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentOutOfRangeException.ThrowIfNegative(retainedRecords);
        Validate();
        var perShard = shards.Select(s => new ShardCost(s.Shard, s.SamplesToTrain / ShardSamplesPerSecond, s.SamplesFromScratch / ShardSamplesPerSecond)).ToArray();
        return new DeletionCosts(perShard, (double)RetrainEpochs * retainedRecords / RetrainSamplesPerSecond);
    }

    /// <summary>
    /// Measures both recipes on <paramref name="data"/>: each trains a fresh model of
    /// <c>sharding.ModelSizes</c> for <see cref="MeasuredSamples"/> examples (after a few untimed steps, so
    /// compilation is not counted).
    /// </summary>
    public static DeletionCostModel Measure(Dataset data, ShardingOptions sharding, TrainingOptions retrain, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sharding);
        ArgumentNullException.ThrowIfNull(retrain);
        var shardRecipe = sharding.Validate().Training;
        return new DeletionCostModel(SamplesPerSecond(data, sharding.ModelSizes, shardRecipe, seed), SamplesPerSecond(data, sharding.ModelSizes, retrain.Validate(), seed), retrain.Epochs);
    }

    private static double SamplesPerSecond(Dataset data, IReadOnlyList<int> sizes, TrainingOptions recipe, long seed)
    {
        var records = data.AllIndices()[..Math.Min(data.Count, MeasuredSamples)];
        var oneEpoch = recipe with { Epochs = 1 };
        var model = Mlp.Create(sizes, seed);
        var optimiser = recipe.CreateOptimiser(model.Parameters.Length);
        Trainer.Train(model, optimiser, data, records.AsSpan(0, Math.Min(records.Length, 4 * recipe.BatchSize)), oneEpoch, new TrainingSeed(seed));
        var started = Stopwatch.GetTimestamp();
        Trainer.Train(model, optimiser, data, records, oneEpoch, new TrainingSeed(seed));
        return records.Length / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
