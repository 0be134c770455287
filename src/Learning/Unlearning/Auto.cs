using System.Diagnostics;
using System.Globalization;
using Lethe.Learning.Data;
using Lethe.Learning.Sharding;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// The cheapest exact path per deletion: plans the deletion on the sharded model, predicts the seconds of
/// replaying the affected shards and of retraining a whole model (<see cref="Retrain"/>'s recipe) with a
/// <see cref="DeletionCostModel"/>, and takes the cheaper (<see cref="ExactPathChoice.Choose"/>). Either
/// way the result is exact: the replayed shards are byte-identical to shards trained from scratch without
/// the records, and the retrained model is what <see cref="Retrain"/> returns.
/// </summary>
/// <param name="costs">The cost model; when null, both recipes are measured (<see cref="DeletionCostModel.Measure"/>) on the first deletion and kept.</param>
/// <param name="retrain">The whole-model recipe. Default: <see cref="Retrain"/>'s.</param>
public sealed class Auto(DeletionCostModel? costs = null, RetrainOptions? retrain = null) : IShardedUnlearningMethod
{
    private DeletionCostModel? measured = costs?.Validate();

    /// <summary>The whole-model recipe.</summary>
    public RetrainOptions Retrain { get; } = (retrain ?? new RetrainOptions()).Validate();

    /// <inheritdoc />
    public string Name => "auto";

    /// <inheritdoc />
    public ShardedUnlearningResult Unlearn(ShardedModel model, int[] forget, long seed, CancellationToken cancellationToken = default)
    {
        ShardedInputs.Validate(model, forget);
        var clock = Stopwatch.StartNew();
        var plan = model.Plan(forget);
        var retained = model.RecordCount - model.ForgottenCount - plan.Records.Count;
        var costModel = measured ??= DeletionCostModel.Measure(model.TrainingData, model.Options, Retrain, seed);
        if (costModel.RetrainEpochs != Retrain.Training.Epochs)
            throw new InvalidOperationException($"The cost model prices a {costModel.RetrainEpochs}-epoch retrain; the recipe trains {Retrain.Training.Epochs} epochs.");
        var choice = ExactPathChoice.Choose(plan.Shards, retained, costModel);
        var choosing = new PhaseTiming("choose", clock.Elapsed);
        var details = new Dictionary<string, double>
        {
            ["predicted_replay_seconds"] = choice.Costs.ReplaySeconds,
            ["predicted_retrain_seconds"] = choice.Costs.RetrainSeconds,
            ["predicted_shards_from_scratch_seconds"] = choice.Costs.ShardsFromScratchSeconds,
        };
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{(choice.Path == ExactPath.Replay ? "replayed" : "retrained")}: predicted replay {choice.Costs.ReplaySeconds:F2} s, retrain {choice.Costs.RetrainSeconds:F2} s");

        if (choice.Path == ExactPath.Replay)
        {
            var copy = model.Clone();
            var replay = copy.Forget(plan.Records, cancellationToken: cancellationToken);
            var report = ShardedInputs.ReplayReport(Name, replay, copy, details, note);
            return ShardedUnlearningResult.Replayed(copy, replay, report with { Phases = [choosing, .. report.Phases] });
        }

        clock.Restart();
        var retain = RetainedAfter(model, plan.Records);
        var (fresh, lastLoss) = Unlearning.Retrain.TrainFresh(model.Options.ModelSizes, model.TrainingData, retain, Retrain.Training, seed, cancellationToken: cancellationToken);
        details["samples_trained"] = (double)Retrain.Training.Epochs * retain.Length;
        details["retain_loss_last_epoch"] = lastLoss;
        return ShardedUnlearningResult.FromRetrain(fresh, new UnlearningReport(Name, plan.Records.Count, retain.Length, [choosing, new PhaseTiming("retrain", clock.Elapsed)], details, note));
    }

    /// <summary>Every record the model keeps once <paramref name="forgotten"/> (ascending) are gone, ascending: the order <see cref="Unlearning.Retrain"/> is given them in.</summary>
    /// <remarks>A sharded model holds every row of its training data, so the rows are walked beside the ascending forget list.</remarks>
    private static int[] RetainedAfter(ShardedModel model, IReadOnlyList<int> forgotten)
    {
        var leaving = RecordSpan.Of(forgotten);
        var retained = new int[model.RecordCount - model.ForgottenCount - leaving.Length];
        var (kept, next) = (0, 0);
        for (var record = 0; record < model.TrainingData.Count; record++)
        {
            if (next < leaving.Length && leaving[next] == record) next++;
            else if (!model.IsForgotten(record)) retained[kept++] = record;
        }

        return retained;
    }
}
