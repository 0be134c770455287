using System.Diagnostics;
using Lethe.Learning.Blas;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Sharding;
using Lethe.Silo.Bench.Paper;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Schedules;

/// <summary>
/// The slice schedules tried for the S=8 user-affine model on MNIST owned by 100 Zipf(1.5) users: for each,
/// the ensemble's test accuracy, its full training time and the p50 of forgetting 20 users drawn by record
/// count one after another, each beside the base model's training time measured in the same run.
/// </summary>
internal sealed class ScheduleBenchmark(MnistData data, long seed, Action<string> log)
{
    /// <summary>The schedule before SISA's rule, then SISA's rule at several E and R; the default is E=6, R=5.</summary>
    public static readonly IReadOnlyList<(SliceSchedule Schedule, int Epochs, int Slices)> Tried =
    [
        (SliceSchedule.EveryStage, 8, 4),
        (SliceSchedule.Sisa, 5, 4),
        (SliceSchedule.Sisa, 8, 4),
        (SliceSchedule.Sisa, 6, 5),
        (SliceSchedule.Sisa, 8, 7),
        (SliceSchedule.Sisa, 5, 9),
    ];

    public ScheduleReport Run()
    {
        var scenario = Scenario.Mixed(data.Train, seed);
        var defaults = new ShardingOptions();
        Recipes.TrainBase(data.Train, data.Train.AllIndices()[..3000], seed); // compiles the training path before anything is timed
        var clock = Stopwatch.StartNew();
        Recipes.TrainBase(data.Train, data.Train.AllIndices(), seed);
        var baseSeconds = clock.Elapsed.TotalSeconds;
        log($"base model: {baseSeconds:F2} s");

        var rows = new List<ScheduleRow>();
        foreach (var (schedule, epochs, slices) in Tried)
        {
            var options = defaults with { Schedule = schedule, Slices = slices, Training = defaults.Training with { Epochs = epochs } };
            clock.Restart();
            var sharded = ShardedModel.Train(data.Train, scenario.Ownership, options, seed);
            var trainingSeconds = clock.Elapsed.TotalSeconds;
            var accuracy = Evaluator.Evaluate(sharded, data.Test).Accuracy;
            var deletions = SequentialUserDeletions.Run(data, sharded, scenario.Ownership, 20, seed, baseSeconds, _ => { });
            var row = new ScheduleRow(ShardSchedule.Of(options), options == defaults, accuracy, trainingSeconds, trainingSeconds / baseSeconds,
                deletions.P50Seconds, deletions.P50OverBaseTraining, deletions.P50SamplesTrained);
            log($"{row.Schedule.Schedule} E={epochs} R={slices} (stages {string.Join(',', row.Schedule.StageEpochs)}): test accuracy {accuracy:P2}, " +
                $"training {trainingSeconds:F2} s ({row.TrainingOverBaseTraining:F2}x), p50 {deletions.P50Seconds:F3} s ({row.P50OverBaseTraining:F3}x)");
            rows.Add(row);
        }

        return new ScheduleReport("mnist", seed, Gemm.Threads, baseSeconds, rows);
    }
}

/// <summary>One schedule's figures.</summary>
internal sealed record ScheduleRow(
    ShardSchedule Schedule, bool IsDefault, double EnsembleTestAccuracy, double TrainingSeconds, double TrainingOverBaseTraining,
    double P50Seconds, double P50OverBaseTraining, double P50SamplesTrained);

/// <summary>Everything <c>bench schedules</c> reports.</summary>
internal sealed record ScheduleReport(string Dataset, long Seed, int Threads, double BaseTrainingSeconds, IReadOnlyList<ScheduleRow> Schedules);
