using Orleans.Concurrency;

namespace Lethe.Grains;

/// <summary>
/// One model (key: the model id): trains it on its shard grains, accepts deletions durably, coalesces
/// them per shard, and predicts by aggregating the shards.
/// </summary>
public interface ICoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Creates the model and starts training it; returns at once. Creating it again with the same spec returns its status.</summary>
    /// <exception cref="LetheException">The spec is invalid, or the id is taken by another spec.</exception>
    Task<ModelStatus> Create(ModelSpec spec);

    /// <summary>The model's state, shards and test accuracy.</summary>
    /// <exception cref="LetheException">No such model.</exception>
    [AlwaysInterleave]
    Task<ModelStatus> GetStatus();

    /// <summary>The ensemble's probabilities for the inputs.</summary>
    /// <exception cref="LetheException">No such model, not trained yet, or bad inputs.</exception>
    [ResponseTimeout("00:02:00")]
    Task<PredictionResult> Predict(PredictionRequest request);
}
