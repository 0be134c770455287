using Lethe.Grains;

namespace Lethe.Client;

/// <summary>
/// Lethe's cluster as an application sees it: create models, forget users, follow deletions, predict.
/// Register it with <see cref="LetheClientExtensions.AddLetheClient"/>. Failures the caller can act on are
/// <see cref="LetheException"/>s with a <see cref="LetheErrorKind"/>; cancelling a call stops waiting for
/// it (work the cluster has accepted goes on).
/// </summary>
public interface ILetheClient
{
    /// <summary>Creates the model and starts training it; returns at once (state <see cref="ModelState.Training"/>). Creating it again with the same spec returns its status.</summary>
    /// <exception cref="LetheException">The spec is invalid (<see cref="LetheErrorKind.Invalid"/>), or the id is taken by another spec (<see cref="LetheErrorKind.Conflict"/>).</exception>
    Task<ModelStatus> CreateModelAsync(ModelId model, ModelSpec spec, CancellationToken cancellationToken = default);

    /// <summary>The model's state, shards and test accuracy.</summary>
    /// <exception cref="LetheException">No such model (<see cref="LetheErrorKind.NotFound"/>).</exception>
    Task<ModelStatus> GetModelAsync(ModelId model, CancellationToken cancellationToken = default);

    /// <summary>Asks to forget every record <paramref name="user"/> owns, in every model; returns once the request is durable (state <see cref="DeletionState.Accepted"/> or later). Asking again returns the same request.</summary>
    /// <exception cref="LetheException">The user owns no records (<see cref="LetheErrorKind.NotFound"/>).</exception>
    Task<DeletionStatus> SubmitDeletionAsync(UserId user, UnlearningMethod method = UnlearningMethod.Sisa, CancellationToken cancellationToken = default);

    /// <summary>The deletion as it is now, or null when no such request was made.</summary>
    Task<DeletionStatus?> GetDeletionAsync(DeletionId deletion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls the deletion (every 100 ms at first, then less often, at most every <see cref="LetheClientOptions.MaxPollInterval"/>)
    /// until it has reached <paramref name="state"/> or a later step of its lifecycle, or has failed; returns it as it is then.
    /// </summary>
    /// <param name="deletion">The deletion.</param>
    /// <param name="state">The state to wait for.</param>
    /// <param name="timeout">How long to wait at most (<see cref="Timeout.InfiniteTimeSpan"/>: no limit).</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed first.</exception>
    /// <exception cref="LetheException">No such deletion (<see cref="LetheErrorKind.NotFound"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<DeletionStatus> WaitForDeletionAsync(DeletionId deletion, DeletionState state, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The ensemble's class probabilities for rows of the test split or for images.</summary>
    /// <exception cref="LetheException">No such model, not trained yet, or bad inputs.</exception>
    Task<PredictionResult> PredictAsync(ModelId model, PredictionRequest request, CancellationToken cancellationToken = default);
}
