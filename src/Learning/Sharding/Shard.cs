using System.Diagnostics;
using Lethe.Learning.Checkpoints;
using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Sharding;

/// <summary>
/// One SISA shard on its own: the records it still holds, slice by slice in training order, its
/// checkpoint (safetensors) after every stage, and the model it serves. What a shard grain holds.
/// </summary>
/// <remarks>
/// Immutable: <see cref="Forget"/> and <see cref="Scrub"/> return a new shard, so a failed or
/// cancelled update leaves the old one serving. Forgotten records leave the slices, so nothing of them
/// stays in the shard; forgetting a record the shard does not hold does nothing, so repeating a
/// deletion is a no-op.
/// </remarks>
public sealed class Shard
{
    private readonly int[][] slices;
    private readonly byte[][] checkpoints;
    private readonly Lazy<HashSet<int>> held;

    private Shard(int index, ShardingOptions options, long runSeed, IComputeBackend backend, int[][] slices, byte[][] checkpoints, Mlp? model, bool servesExactModel)
    {
        Index = index;
        Options = options;
        RunSeed = runSeed;
        Backend = backend;
        this.slices = slices;
        this.checkpoints = checkpoints;
        Model = model;
        ServesExactModel = servesExactModel;
        held = new Lazy<HashSet<int>>(() => [.. slices.SelectMany(slice => slice)]);
    }

    /// <summary>The shard's index in its model.</summary>
    public int Index { get; }

    /// <summary>How the shard is trained (its slice count, recipe and model sizes).</summary>
    public ShardingOptions Options { get; }

    /// <summary>The seed every random choice of the shard derives from.</summary>
    public long RunSeed { get; }

    /// <summary>The engine that trains and predicts.</summary>
    public IComputeBackend Backend { get; }

    /// <summary>The records the shard holds, per slice, in training order.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Slices => slices;

    /// <summary>The checkpoint (model and optimiser) after each stage; empty when the shard holds no records.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Checkpoints => checkpoints.Select(c => (ReadOnlyMemory<byte>)c).ToArray();

    /// <summary>The model the shard serves; null when it holds no records. Read-only by convention: updates replace it.</summary>
    public Mlp? Model { get; }

    /// <summary>False after a <see cref="Scrub"/>, until a replay (<see cref="Forget"/>) serves the exact model again.</summary>
    public bool ServesExactModel { get; }

    /// <summary>Number of records the shard holds.</summary>
    public int RecordCount => held.Value.Count;

    /// <summary>Whether the shard holds <paramref name="record"/>.</summary>
    public bool Holds(int record) => held.Value.Contains(record);

    /// <summary>Trains a shard holding <paramref name="slices"/> stage by stage from fresh weights.</summary>
    public static Shard Train(
        Dataset data, int index, IReadOnlyList<IReadOnlyList<int>> slices, ShardingOptions options, long runSeed, IComputeBackend? backend = null,
        IProgress<ShardProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slices);
        options.Validate();
        if (slices.Count != options.Slices) throw new ArgumentException($"{slices.Count} slices given; the options have {options.Slices}.", nameof(slices));
        backend ??= BlasBackend.Instance;
        var empty = new Shard(index, options, runSeed, backend, slices.Select(s => s.ToArray()).ToArray(), [], null, true);
        return empty.RecordCount == 0 ? empty : empty.TrainFrom(data, 0, empty.slices, progress, cancellationToken);
    }

    /// <summary>
    /// A shard from what was persisted of it: its slices, its stage checkpoints and, when it serves a
    /// scrubbed model, that model's weights (safetensors).
    /// </summary>
    /// <exception cref="InvalidDataException">A checkpoint belongs to another recipe, seed, shard or stage, or the counts do not match.</exception>
    public static Shard Restore(
        int index, IReadOnlyList<IReadOnlyList<int>> slices, IReadOnlyList<byte[]> checkpoints, ReadOnlyMemory<byte> scrubbedModel,
        ShardingOptions options, long runSeed, IComputeBackend? backend = null)
    {
        options.Validate();
        var records = slices.Sum(s => s.Count);
        if (slices.Count != options.Slices) throw new InvalidDataException($"{slices.Count} slices persisted; the options have {options.Slices}.");
        if (checkpoints.Count != (records == 0 ? 0 : options.Slices))
            throw new InvalidDataException($"{checkpoints.Count} checkpoints persisted for a shard of {records} records and {options.Slices} slices.");
        for (var stage = 0; stage < checkpoints.Count; stage++) StageCheckpoint.Check(checkpoints[stage], options, runSeed, index, stage);
        Mlp? model = records == 0 ? null : ModelCheckpoint.Load(scrubbedModel.IsEmpty ? checkpoints[^1] : scrubbedModel.Span).Model;
        return new Shard(index, options, runSeed, backend ?? BlasBackend.Instance, slices.Select(s => s.ToArray()).ToArray(), [.. checkpoints], model, scrubbedModel.IsEmpty);
    }

    /// <summary>What forgetting <paramref name="records"/> would do (records the shard does not hold are left out), without doing it.</summary>
    public ShardUpdatePlan Plan(IEnumerable<int> records)
    {
        var removing = Removing(records);
        var fromSlice = ReplayFrom(removing);
        var remaining = slices.Select(slice => slice.Count(r => !removing.Contains(r))).ToArray();
        var kept = remaining.Sum();
        var samples = removing.Count == 0 || kept == 0 ? 0 : ShardTrainer.SamplesToTrain(remaining, fromSlice, Options.Training.Epochs);
        return new ShardUpdatePlan(Index, fromSlice, removing.Count, kept, samples);
    }

    /// <summary>
    /// Exactly forgets <paramref name="records"/>: replays from the checkpoint before the earliest slice
    /// holding one of them, without them. The result is bit for bit the shard trained from scratch on
    /// the records it keeps. A scrubbed model is replaced by the exact one even when nothing is left to forget.
    /// </summary>
    public (Shard Shard, ShardUpdateReport Report) Forget(Dataset data, IEnumerable<int> records, IProgress<ShardProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var plan = Plan(records);
        var removing = Removing(records);
        var kept = slices.Select(slice => slice.Where(r => !removing.Contains(r)).ToArray()).ToArray();
        Shard updated;
        long samples = 0;
        if (plan.Kind == ShardUpdateKind.Unchanged)
        {
            updated = ServesExactModel ? this : Restore(Index, slices, checkpoints, default, Options, RunSeed, Backend);
        }
        else if (plan.Kind == ShardUpdateKind.Drop)
        {
            updated = new Shard(Index, Options, RunSeed, Backend, kept, [], null, true);
        }
        else
        {
            updated = TrainFrom(data, plan.FromSlice, kept, progress, cancellationToken);
            samples = plan.SamplesToTrain;
        }

        return (updated, new ShardUpdateReport(plan, samples, Stopwatch.GetElapsedTime(started)));
    }

    /// <summary>
    /// The approximate update that is served at once: the Fisher scrub of <paramref name="records"/>
    /// from the served model, retaining the rest of the shard. Checkpoints and slices stay as they are,
    /// so the exact replay (<see cref="Forget"/>) still has everything it needs and replaces the scrubbed model.
    /// </summary>
    public (Shard Shard, UnlearningReport Report) Scrub(Dataset data, IEnumerable<int> records, FisherScrubOptions options, long seed, CancellationToken cancellationToken = default)
    {
        var forget = Removing(records).Order().ToArray();
        var retain = slices.SelectMany(slice => slice).Where(r => !forget.Contains(r)).Order().ToArray();
        if (Model is null || forget.Length == 0 || retain.Length == 0)
            return (this, new UnlearningReport("fisher-scrub", forget.Length, retain.Length, [], new Dictionary<string, double>(), "nothing to scrub on this shard"));
        var result = Backend.Scrub(Model, data, forget, retain, options, seed, cancellationToken);
        return (new Shard(Index, Options, RunSeed, Backend, slices, checkpoints, result.Model, false), result.Report);
    }

    /// <summary>The served model's weights (safetensors, no optimiser state); empty when the shard holds no records.</summary>
    public byte[] ModelBytes() => Model is null ? [] : ModelCheckpoint.Save(Model);

    /// <summary>The served model's softmax for each row in <paramref name="indices"/> (rows x classes).</summary>
    /// <exception cref="InvalidOperationException">The shard holds no records, so it serves no model.</exception>
    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities) =>
        Backend.Probabilities(Model ?? throw new InvalidOperationException($"Shard {Index} holds no records and serves no model."), data, indices, probabilities);

    private HashSet<int> Removing(IEnumerable<int> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Where(Holds).ToHashSet();
    }

    // The earliest slice holding a record to forget, or the first when the checkpoints are another engine's (a replay from them would not be exact).
    private int ReplayFrom(HashSet<int> removing)
    {
        if (removing.Count == 0) return Options.Slices;
        var earliest = Array.FindIndex(slices, slice => slice.Any(removing.Contains));
        if (earliest == 0) return 0;
        var engine = StageCheckpoint.Check(checkpoints[earliest - 1], Options, RunSeed, Index, earliest - 1);
        return engine == Backend.Engine ? earliest : 0;
    }

    private Shard TrainFrom(Dataset data, int fromSlice, int[][] kept, IProgress<ShardProgress>? progress, CancellationToken cancellationToken)
    {
        var before = fromSlice == 0 ? ReadOnlyMemory<byte>.Empty : checkpoints[fromSlice - 1];
        var run = Backend.TrainStages(data, Index, kept, fromSlice, before, Options, RunSeed, progress, cancellationToken);
        return new Shard(Index, Options, RunSeed, Backend, kept, [.. checkpoints.Take(fromSlice), .. run.Checkpoints], run.Model, true);
    }
}
