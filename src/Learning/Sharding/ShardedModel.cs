using System.Diagnostics;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Owners;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Sharding;

/// <summary>
/// A SISA model (Bourtoule et al., "Machine Unlearning"): S shard models, each trained stage by stage
/// on the cumulative slices of its disjoint part of the data with a checkpoint after every stage
/// (<see cref="ShardTrainer"/>), predicting as an ensemble of the shards that still hold records.
/// Forgetting records replays only the affected shards, each once, from the checkpoint before its
/// earliest affected slice; the result is bit for bit what training those shards from scratch on
/// their remaining records with the same seeds gives.
/// </summary>
/// <remarks>
/// The shards (<see cref="Sharding.Shard"/>) are immutable (an update replaces them), so
/// <see cref="Clone"/> shares them and copies only what a deletion changes. Calls must not overlap:
/// the owner (an experiment) serialises them; the cluster holds each shard in a grain of its own.
/// </remarks>
public sealed class ShardedModel : IClassifier
{
    private readonly Dataset trainingData;
    private readonly ShardLayout layout;

    // Every row of the training data is placed, so records are 0..RecordCount-1: per record, its shard and slice and whether it is forgotten.
    private readonly ShardSlice[] placeOf;
    private readonly bool[] forgotten;
    private readonly Shard[] shards;
    private int forgottenCount;

    private ShardedModel(Dataset data, ShardLayout layout, ShardSlice[] placeOf, bool[] forgotten, int forgottenCount, Shard[] shards, ShardingOptions options, long runSeed)
    {
        trainingData = data;
        this.layout = layout;
        this.placeOf = placeOf;
        this.forgotten = forgotten;
        this.forgottenCount = forgottenCount;
        this.shards = shards;
        Options = options;
        RunSeed = runSeed;
    }

    /// <summary>The records the model was trained on; row i is record i.</summary>
    public Dataset TrainingData => trainingData;

    /// <summary>How the model was laid out and trained.</summary>
    public ShardingOptions Options { get; }

    /// <summary>The seed every random choice derives from.</summary>
    public long RunSeed { get; }

    /// <summary>Number of shards, S.</summary>
    public int ShardCount => layout.ShardCount;

    /// <summary>Number of slices per shard, R.</summary>
    public int SliceCount => layout.SliceCount;

    /// <summary>Shards that still hold records and so a model.</summary>
    public int LiveShardCount => shards.Count(s => s.Model is not null);

    /// <summary>Records placed in the model, forgotten ones included.</summary>
    public int RecordCount => layout.Count;

    /// <summary>Records forgotten so far.</summary>
    public int ForgottenCount => forgottenCount;

    /// <inheritdoc />
    public int ClassCount => Options.ModelSizes[^1];

    /// <summary>
    /// Places every row of <paramref name="data"/> by <c>options.Placement</c> (seeded with
    /// <paramref name="runSeed"/>) and trains the shards, as many at once as there are compute threads.
    /// </summary>
    /// <param name="data">The training records; row i is record i.</param>
    /// <param name="ownership">The owner of every row.</param>
    /// <param name="options">Layout and training options.</param>
    /// <param name="runSeed">The seed of placement, initial weights and shuffles.</param>
    /// <param name="deletionWeights">Per user, how likely the user is to delete (default: the user's record count).</param>
    /// <param name="progress">Receives every epoch of every stage of every shard, in order within a shard; shards training at once report from their own threads.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public static ShardedModel Train(
        Dataset data, Ownership ownership, ShardingOptions options, long runSeed, IReadOnlyList<double>? deletionWeights = null,
        IProgress<ShardProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(ownership);
        options.Validate();
        if (ownership.OwnerOf.Length != data.Count)
            throw new ArgumentException($"The ownership table covers {ownership.OwnerOf.Length} records; the dataset has {data.Count}.", nameof(ownership));
        if (options.ModelSizes[0] != data.FeatureCount || options.ModelSizes[^1] != data.ClassCount)
            throw new ArgumentException($"A {string.Join('-', options.ModelSizes)} model does not fit {data.FeatureCount} features and {data.ClassCount} classes.", nameof(options));

        var layout = options.CreateLayout(runSeed);
        layout.Add(data.AllIndices(), ownership, deletionWeights);
        var shards = new Shard[layout.ShardCount];
        // Shards are independent and train the same bytes on any thread, so they train side by side, one per compute thread
        // (a shard's own products then run on its thread alone): small batches keep two threads busier apart than together.
        ComputePool.Run(shards.Length, shard =>
            shards[shard] = Sharding.Shard.Train(data, shard, layout.SlicesOf(shard), options, runSeed, progress: progress, cancellationToken: cancellationToken));
        var placeOf = new ShardSlice[data.Count];
        for (var shard = 0; shard < layout.ShardCount; shard++)
        {
            for (var slice = 0; slice < layout.SliceCount; slice++)
            {
                foreach (var record in layout.RecordsIn(shard, slice)) placeOf[record] = new ShardSlice(shard, slice);
            }
        }

        return new ShardedModel(data, layout, placeOf, new bool[data.Count], 0, shards, options, runSeed);
    }

    /// <summary>Whether <paramref name="record"/> has been forgotten.</summary>
    public bool IsForgotten(int record) => (uint)record < (uint)forgotten.Length && forgotten[record];

    /// <summary>The shard and slice of <paramref name="record"/> (forgotten records keep theirs).</summary>
    /// <exception cref="ArgumentException">The record is not in the model.</exception>
    public ShardSlice Locate(int record) => layout.Locate(record);

    /// <summary>Shard <paramref name="shard"/> as it is now.</summary>
    public Shard Shard(int shard) => shards[CheckShard(shard)];

    /// <summary>The records one slice of a shard still holds, in training order.</summary>
    public IReadOnlyList<int> RetainedRecords(int shard, int slice) => Shard(shard).Slices[CheckSlice(slice)];

    /// <summary>A copy of a shard's model, or null when the shard holds no records.</summary>
    public Mlp? ShardModel(int shard) => Shard(shard).Model?.Clone();

    /// <summary>The checkpoint (model and optimiser, safetensors) after stage <paramref name="slice"/> of a shard; empty when the shard holds no records.</summary>
    public ReadOnlyMemory<byte> Checkpoint(int shard, int slice)
    {
        var checkpoints = Shard(shard).Checkpoints;
        return checkpoints.Count == 0 ? ReadOnlyMemory<byte>.Empty : checkpoints[CheckSlice(slice)];
    }

    /// <summary>The ensemble of the current shard models (shards without records left out), aggregated as asked.</summary>
    /// <exception cref="InvalidOperationException">Every shard is empty.</exception>
    public EnsembleClassifier Ensemble(EnsembleAggregation aggregation)
    {
        var members = shards.Where(s => s.Model is not null).Select(s => new MlpClassifier(s.Model!)).ToArray();
        if (members.Length == 0) throw new InvalidOperationException("Every shard has been emptied by deletions; there is no model left to predict with.");
        return new EnsembleClassifier(members, aggregation);
    }

    /// <inheritdoc />
    /// <remarks>Aggregated as <see cref="ShardingOptions.Aggregation"/> says, over the shards that hold records.</remarks>
    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities) =>
        Ensemble(Options.Aggregation).Probabilities(data, indices, probabilities);

    /// <summary>What forgetting <paramref name="records"/> would do, without doing it.</summary>
    /// <exception cref="ArgumentException">A record is not in the model.</exception>
    /// <remarks>One pass over the records asked for: each shard's plan needs only how many records each of its slices loses.</remarks>
    public DeletionPlan Plan(IEnumerable<int> records)
    {
        var (fresh, alreadyForgotten) = Fresh(records);
        var forgottenPerSlice = new int[ShardCount * SliceCount];
        foreach (var record in fresh)
        {
            var (shard, slice) = placeOf[record];
            forgottenPerSlice[(shard * SliceCount) + slice]++;
        }

        var updates = Enumerable.Range(0, ShardCount)
            .Where(shard => forgottenPerSlice.AsSpan(shard * SliceCount, SliceCount).ContainsAnyExcept(0))
            .Select(shard => shards[shard].PlanFromCounts(forgottenPerSlice.AsSpan(shard * SliceCount, SliceCount)))
            .ToArray();
        return new DeletionPlan(fresh, alreadyForgotten, updates);
    }

    /// <summary>
    /// Exactly forgets <paramref name="records"/> (any number of users' at once): every affected shard
    /// is updated once (<see cref="Sharding.Shard.Forget"/>), replaying from the checkpoint before its
    /// earliest affected slice without the forgotten records; a shard left without records drops its
    /// model. Records already forgotten are skipped (and counted in the report), so repeating a
    /// deletion is a no-op.
    /// </summary>
    /// <remarks>
    /// A shard that loses most of its records needs no special case: a replay from slice i runs the very
    /// stages a retrain from fresh weights would run from i on and skips those before, so it is never the
    /// dearer of the two; when the earliest affected slice is the first, the replay is that retrain.
    /// </remarks>
    /// <exception cref="ArgumentException">A record is not in the model; nothing changes.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing changes.</exception>
    public DeletionReport Forget(IEnumerable<int> records, IProgress<ShardProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var (fresh, alreadyForgotten) = Fresh(records);
        var removing = new bool[RecordCount];
        foreach (var record in fresh) removing[record] = true;
        var updates = AffectedShards(fresh).Select(shard => shards[shard].Forget(trainingData, record => removing[record], progress, trained: null, cancellationToken)).ToArray();

        // Committed only once every shard is done, so a failed or cancelled deletion changes nothing.
        foreach (var record in fresh) forgotten[record] = true;
        forgottenCount += fresh.Length;
        foreach (var (shard, _) in updates) shards[shard.Index] = shard;
        return new DeletionReport(fresh.Length, alreadyForgotten, updates.Select(u => u.Report).ToArray(), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>An independent copy: deletions on either leave the other as it was.</summary>
    public ShardedModel Clone() => new(trainingData, layout, placeOf, (bool[])forgotten.Clone(), forgottenCount, (Shard[])shards.Clone(), Options, RunSeed);

    // The records asked for and not forgotten yet, ascending, without repeats, and how many were forgotten before. A request in
    // ascending order (as owners' records come) is read once; any other is sorted and checked through a mask over the records.
    private (int[] Fresh, int AlreadyForgotten) Fresh(IEnumerable<int> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var asked = RecordSpan.Of(records);
        var (count, isForgotten) = (RecordCount, forgotten);
        var fresh = new int[asked.Length];
        var kept = 0;
        var ascending = true;
        var previous = -1;
        foreach (var record in asked)
        {
            if ((uint)record >= (uint)count || record <= previous)
            {
                ascending = false;
                break;
            }

            previous = record;
            if (!isForgotten[record]) fresh[kept++] = record;
        }

        if (ascending) return (kept == fresh.Length ? fresh : fresh[..kept], asked.Length - kept);
        var unknown = new SortedSet<int>();
        var requested = new bool[count];
        foreach (var record in asked)
        {
            if ((uint)record < (uint)count) requested[record] = true;
            else unknown.Add(record);
        }

        if (unknown.Count > 0)
            throw new ArgumentException($"{unknown.Count} record(s) are not in this model: {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? ", ..." : "")}.", nameof(records));
        var distinct = 0;
        kept = 0;
        for (var record = 0; record < count; record++)
        {
            if (!requested[record]) continue;
            distinct++;
            if (!isForgotten[record]) fresh[kept++] = record;
        }

        return (fresh[..kept], distinct - kept);
    }

    // The shards holding at least one of the records, ascending.
    private IEnumerable<int> AffectedShards(int[] records)
    {
        var affected = new bool[ShardCount];
        foreach (var record in records) affected[placeOf[record].Shard] = true;
        return Enumerable.Range(0, ShardCount).Where(shard => affected[shard]);
    }

    private int CheckShard(int shard)
    {
        if ((uint)shard >= (uint)ShardCount) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"Shards are 0..{ShardCount - 1}.");
        return shard;
    }

    private int CheckSlice(int slice)
    {
        if ((uint)slice >= (uint)SliceCount) throw new ArgumentOutOfRangeException(nameof(slice), slice, $"Slices are 0..{SliceCount - 1}.");
        return slice;
    }
}
