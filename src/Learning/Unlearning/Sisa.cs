using Lethe.Learning.Sharding;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// SISA's exact deletion (<see cref="ShardedModel.Forget"/>) on a copy of the model: every affected shard
/// replays from the checkpoint before its earliest affected slice, without the records.
/// </summary>
public sealed class Sisa : IShardedUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "sisa";

    /// <inheritdoc />
    public ShardedUnlearningResult Unlearn(ShardedModel model, int[] forget, long seed, CancellationToken cancellationToken = default)
    {
        ShardedInputs.Validate(model, forget);
        var copy = model.Clone();
        var replay = copy.Forget(forget, cancellationToken: cancellationToken);
        return ShardedUnlearningResult.Replayed(copy, replay, ShardedInputs.ReplayReport(Name, replay, copy, new Dictionary<string, double>(), null));
    }
}
