using Orleans.Concurrency;

namespace Lethe.Grains.Shards;

/// <summary>
/// One SISA shard of a model (key: <c>model/shard</c>): trains, replays exactly, scrubs, predicts.
/// Long work starts and returns; one update runs at a time; deletions that arrive meanwhile join the next.
/// </summary>
public interface IShardGrain : IGrainWithStringKey
{
    /// <summary>Takes the shard's records and starts training; giving the same assignment again does nothing.</summary>
    /// <exception cref="LetheException">The shard was assigned other records (<see cref="LetheErrorKind.Conflict"/>).</exception>
    Task Train(ShardAssignment assignment);

    /// <summary>Durably queues deletions of some of the shard's records and starts the next update if none runs; deletions already queued are skipped.
    /// Interleaves, so that deletions arriving together share the queue's writes.</summary>
    [AlwaysInterleave]
    Task Enqueue(IReadOnlyList<ShardDeletion> deletions);

    /// <summary>Restarts unfinished work (training, queued deletions) after a restart; does nothing when there is none.</summary>
    Task Resume();

    /// <summary>What an update forgetting <paramref name="records"/> would do now (the cost model's input).</summary>
    [AlwaysInterleave]
    Task<ShardPlan> Plan(int[] records);

    /// <summary>The shard as it is now.</summary>
    [AlwaysInterleave]
    Task<ShardStatus> GetStatus();

    /// <summary>The served model's probabilities for the inputs (rows x classes).</summary>
    [ResponseTimeout("00:02:00")]
    Task<float[]> Predict(PredictionRequest request);
}

/// <summary>What a shard is given to train: its model, its index, the spec it is trained by, and its records per slice.</summary>
[GenerateSerializer, Immutable, Alias("lethe.shard-assignment")]
public sealed record ShardAssignment(string ModelId, int Index, ModelSpec Spec, int[][] Slices);

/// <summary>A shard's plan for forgetting some records, as it crosses a grain call (Learning's <see cref="Lethe.Learning.Sharding.ShardUpdatePlan"/>).</summary>
[GenerateSerializer, Immutable, Alias("lethe.shard-plan")]
public sealed record ShardPlan(int Shard, int Slices, int FromSlice, int Forgotten, int Remaining, long SamplesToTrain, long SamplesFromScratch)
{
    /// <summary>The plan as Learning's cost model reads it.</summary>
    public Lethe.Learning.Sharding.ShardUpdatePlan ToUpdatePlan() =>
        Lethe.Learning.Sharding.ShardUpdatePlan.Create(Shard, Slices, FromSlice, Forgotten, Remaining, SamplesToTrain, SamplesFromScratch);

    /// <summary>The plan of <paramref name="plan"/>.</summary>
    public static ShardPlan From(Lethe.Learning.Sharding.ShardUpdatePlan plan) =>
        new(plan.Shard, plan.Slices, plan.FromSlice, plan.Forgotten, plan.Remaining, plan.SamplesToTrain, plan.SamplesFromScratch);
}

/// <summary>One deletion's records on one shard, and the method the shard carries out (never <c>auto</c>: the coordinator resolves it).</summary>
[GenerateSerializer, Immutable, Alias("lethe.shard-deletion")]
public sealed record ShardDeletion(string DeletionId, int[] Records, UnlearningMethod Method);
