using Lethe.Grains;

namespace Lethe.Client;

/// <summary><see cref="ILetheClient"/> over the cluster's grains.</summary>
internal sealed class LetheClient(IGrainFactory grains, LetheClientOptions options) : ILetheClient
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);

    public Task<ModelStatus> CreateModelAsync(ModelId model, ModelSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Coordinator(model).Create(spec).WaitAsync(cancellationToken);
    }

    public Task<ModelStatus> GetModelAsync(ModelId model, CancellationToken cancellationToken = default) =>
        Coordinator(model).GetStatus().WaitAsync(cancellationToken);

    public Task<DeletionStatus> SubmitDeletionAsync(UserId user, UnlearningMethod method = UnlearningMethod.Sisa, CancellationToken cancellationToken = default)
    {
        if (user.Value is null) throw new ArgumentException("A user id is required.", nameof(user));
        return grains.GetGrain<IDeletionGrain>(DeletionId.ForUser(user).Value).Submit(user, method).WaitAsync(cancellationToken);
    }

    public Task<DeletionStatus?> GetDeletionAsync(DeletionId deletion, CancellationToken cancellationToken = default) =>
        Deletion(deletion).GetStatus().WaitAsync(cancellationToken);

    public async Task<DeletionStatus> WaitForDeletionAsync(DeletionId deletion, DeletionState state, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan) throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout cannot be negative.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) deadline.CancelAfter(timeout);
        var pause = FirstPoll;
        DeletionStatus? status = null;
        try
        {
            while (true)
            {
                status = await Deletion(deletion).GetStatus().WaitAsync(deadline.Token)
                    ?? throw LetheException.NotFound($"No deletion '{deletion}'.");
                if (Reached(status, state)) return status;
                await Task.Delay(pause, deadline.Token);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.MaxPollInterval.Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Deletion '{deletion}' did not reach {state} within {timeout.TotalSeconds:0.###} s; it is {status?.State.ToString() ?? "unknown"}.");
        }
    }

    public Task<PredictionResult> PredictAsync(ModelId model, PredictionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Coordinator(model).Predict(request).WaitAsync(cancellationToken);
    }

    // The lifecycle runs Accepted, Forgetting, ModelsUpdated, Purged, Completed; Failed ends it anywhere.
    private static bool Reached(DeletionStatus status, DeletionState state) =>
        status.State == DeletionState.Failed || (state != DeletionState.Failed && status.State >= state);

    private ICoordinatorGrain Coordinator(ModelId model) =>
        grains.GetGrain<ICoordinatorGrain>(model.Value ?? throw new ArgumentException("A model id is required.", nameof(model)));

    private IDeletionGrain Deletion(DeletionId deletion) =>
        grains.GetGrain<IDeletionGrain>(deletion.Value ?? throw new ArgumentException("A deletion id is required.", nameof(deletion)));
}
