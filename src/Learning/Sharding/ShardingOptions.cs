using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Sharding;

/// <summary>How a sharded (SISA) model is laid out and trained.</summary>
/// <remarks>
/// The defaults are chosen for MNIST, 60k records owned by Zipf-distributed users (the README's schedule
/// table): SISA's rule with E = 6 over R = 5 slices trains every stage 2 epochs, so a shard costs 6 passes
/// over its records. Under user-affine placement, users with few records fill the first slices, and a
/// deletion touching slice 0 replays the whole shard; so the cost of a whole shard, not of its last stage,
/// sets the typical deletion's cost. Plain SGD at a high step size gives more diverse shard models than
/// Adam, which the mean-softmax ensemble turns into accuracy.
/// </remarks>
public sealed record ShardingOptions
{
    /// <summary>Number of shards, S. Default 8.</summary>
    public int Shards { get; init; } = 8;

    /// <summary>Number of slices per shard, R. Default 5.</summary>
    public int Slices { get; init; } = 5;

    /// <summary>How records are placed. Default <see cref="PlacementPolicy.UserAffine"/>.</summary>
    public PlacementPolicy Placement { get; init; } = PlacementPolicy.UserAffine;

    /// <summary>How far above N/S a user-affine shard may fill, as a fraction. Default 0.02.</summary>
    public double BalanceTolerance { get; init; } = 0.02;

    /// <summary>
    /// How each stage is trained: optimiser, step size, batch size, and E (<see cref="TrainingOptions.Epochs"/>),
    /// which <see cref="Schedule"/> turns into each stage's epochs. Default: SGD with momentum 0.9, lr 0.05,
    /// batches of 64, E = 6.
    /// </summary>
    public TrainingOptions Training { get; init; } = new() { Optimiser = "sgd", LearningRate = 0.05f, Momentum = 0.9f, BatchSize = 64, Epochs = 6 };

    /// <summary>How many epochs each stage trains. Default <see cref="SliceSchedule.Sisa"/>.</summary>
    public SliceSchedule Schedule { get; init; } = SliceSchedule.Sisa;

    /// <summary>How shard predictions are combined. Default <see cref="EnsembleAggregation.MeanSoftmax"/>.</summary>
    public EnsembleAggregation Aggregation { get; init; } = EnsembleAggregation.MeanSoftmax;

    /// <summary>Layer widths of every shard model. Default <see cref="Mlp.DefaultSizes"/> (784-256-128-10).</summary>
    public IReadOnlyList<int> ModelSizes { get; init; } = Mlp.DefaultSizes;

    /// <summary>Throws an <see cref="ArgumentException"/> when a value is out of range.</summary>
    public ShardingOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Shards, 1, nameof(Shards));
        ArgumentOutOfRangeException.ThrowIfLessThan(Slices, 1, nameof(Slices));
        if (!Enum.IsDefined(Placement)) throw new ArgumentOutOfRangeException(nameof(Placement), Placement, "Unknown placement policy.");
        if (!Enum.IsDefined(Schedule)) throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "Unknown slice schedule.");
        if (!Enum.IsDefined(Aggregation)) throw new ArgumentOutOfRangeException(nameof(Aggregation), Aggregation, "Unknown aggregation.");
        if (!(BalanceTolerance >= 0 && double.IsFinite(BalanceTolerance)))
            throw new ArgumentOutOfRangeException(nameof(BalanceTolerance), BalanceTolerance, "The balance tolerance must be a finite fraction of at least 0.");
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        ArgumentNullException.ThrowIfNull(ModelSizes, nameof(ModelSizes));
        Training.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(Training.Epochs, 1, "Training.Epochs");
        return this;
    }

    /// <summary>The epochs each stage trains under <see cref="Schedule"/>, first stage first: what training and every replay run.</summary>
    public IReadOnlyList<int> StageEpochs() => Validate().Schedule.StageEpochs(Training.Epochs, Slices);

    /// <summary>An empty layout with these shards, slices and placement, placing with <paramref name="seed"/>.</summary>
    public ShardLayout CreateLayout(long seed) => new(Validate().Shards, Slices, Placement, seed, BalanceTolerance);
}
