using Lethe.Learning.Models;
using Lethe.Learning.Sharding;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// A way to forget records from a sharded (SISA) model exactly. Implementations never modify the model
/// they are given; they return a new one.
/// </summary>
public interface IShardedUnlearningMethod
{
    /// <summary>The method's name as the API and reports spell it (<c>sisa</c>, <c>auto</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Forgets <paramref name="forget"/> (records of <paramref name="model"/>, none forgotten before) and
    /// returns the model that results, the path taken, and a report of what was done.
    /// </summary>
    /// <param name="model">The sharded model; left as it was.</param>
    /// <param name="forget">Records to forget, at least one.</param>
    /// <param name="seed">Seed of a whole model trained afresh; a replay uses the sharded model's own run seed.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    ShardedUnlearningResult Unlearn(ShardedModel model, int[] forget, long seed, CancellationToken cancellationToken = default);
}

/// <summary>
/// The outcome of a sharded method: either the sharded model with the records replayed away, or a fresh
/// whole model trained on every record kept.
/// </summary>
/// <param name="Sharded">The updated sharded model when the shards replayed.</param>
/// <param name="Replay">What each shard did, when the shards replayed.</param>
/// <param name="Retrained">The fresh whole model, when the model was retrained.</param>
/// <param name="Report">Phases, timings and method-specific figures.</param>
public sealed record ShardedUnlearningResult(ShardedModel? Sharded, DeletionReport? Replay, Mlp? Retrained, UnlearningReport Report)
{
    /// <summary>Which exact path produced the model.</summary>
    public ExactPath Path => Retrained is null ? ExactPath.Replay : ExactPath.Retrain;

    /// <summary>The model to predict with.</summary>
    public IClassifier Model => Retrained is { } fresh ? new MlpClassifier(fresh) : Sharded!;

    /// <summary>A replay's outcome.</summary>
    public static ShardedUnlearningResult Replayed(ShardedModel model, DeletionReport replay, UnlearningReport report) => new(model, replay, null, report);

    /// <summary>A whole model retrained.</summary>
    public static ShardedUnlearningResult FromRetrain(Mlp model, UnlearningReport report) => new(null, null, model, report);
}
