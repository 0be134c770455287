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
/// cancelled update leaves the old one serving. Forgotten records leave the slices at once, exact or
/// not, so nothing of them stays in the shard; forgetting a record the shard does not hold does
/// nothing, so repeating a deletion is a no-op. A scrub leaves the checkpoints from the earliest
/// scrubbed slice on trained on records the shard no longer holds (<see cref="ApproximateFromSlice"/>):
/// the next replay starts there at the latest, and serves the exact model again.
/// </remarks>
public sealed class Shard
{
    private readonly int[][] slices;
    private readonly byte[][] checkpoints;
    private readonly Lazy<HashSet<int>> held;

    private Shard(int index, ShardingOptions options, long runSeed, IComputeBackend backend, int[][] slices, byte[][] checkpoints, Mlp? model, int? approximateFromSlice)
    {
        Index = index;
        Options = options;
        RunSeed = runSeed;
        Backend = backend;
        this.slices = slices;
        this.checkpoints = checkpoints;
        Model = model;
        ApproximateFromSlice = approximateFromSlice;
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

    /// <summary>
    /// After a <see cref="Scrub"/>: the first stage whose checkpoint (and the served model) still carries
    /// records the shard no longer holds; null when the shard serves its exact model.
    /// </summary>
    public int? ApproximateFromSlice { get; }

    /// <summary>False after a <see cref="Scrub"/>, until a replay (<see cref="Forget"/>) serves the exact model again.</summary>
    public bool ServesExactModel => ApproximateFromSlice is null;

    /// <summary>Number of records the shard holds.</summary>
    public int RecordCount => held.Value.Count;

    /// <summary>Whether the shard holds <paramref name="record"/>.</summary>
    public bool Holds(int record) => held.Value.Contains(record);

    /// <summary>Trains a shard holding <paramref name="slices"/> stage by stage from fresh weights; each stage's checkpoint goes to <paramref name="trained"/> as it ends.</summary>
    public static Shard Train(
        Dataset data, int index, IReadOnlyList<IReadOnlyList<int>> slices, ShardingOptions options, long runSeed, IComputeBackend? backend = null,
        IProgress<ShardProgress>? progress = null, IProgress<TrainedStage>? trained = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slices);
        options.Validate();
        if (slices.Count != options.Slices) throw new ArgumentException($"{slices.Count} slices given; the options have {options.Slices}.", nameof(slices));
        backend ??= BlasBackend.Instance;
        var empty = new Shard(index, options, runSeed, backend, slices.Select(s => s.ToArray()).ToArray(), [], null, null);
        return empty.RecordCount == 0 ? empty : empty.TrainFrom(data, 0, empty.slices, progress, trained, cancellationToken);
    }

    /// <summary>
    /// A shard from what was persisted of it: its slices, its stage checkpoints and, when it serves a
    /// scrubbed model, where its checkpoints became approximate and that model's weights (safetensors).
    /// </summary>
    /// <exception cref="InvalidDataException">A checkpoint belongs to another recipe, seed, shard or stage, or the counts do not match.</exception>
    public static Shard Restore(
        int index, IReadOnlyList<IReadOnlyList<int>> slices, IReadOnlyList<byte[]> checkpoints, int? approximateFromSlice, ReadOnlyMemory<byte> servedModel,
        ShardingOptions options, long runSeed, IComputeBackend? backend = null)
    {
        options.Validate();
        if (slices.Count != options.Slices) throw new InvalidDataException($"{slices.Count} slices persisted; the options have {options.Slices}.");
        if (checkpoints.Count is not 0 && checkpoints.Count != options.Slices)
            throw new InvalidDataException($"{checkpoints.Count} checkpoints persisted for a shard of {options.Slices} slices.");
        if (approximateFromSlice is { } from && (from < 0 || from >= options.Slices || servedModel.IsEmpty))
            throw new InvalidDataException($"A shard approximate from slice {from} needs its served model and a slice below {options.Slices}.");
        for (var stage = 0; stage < checkpoints.Count; stage++) StageCheckpoint.Check(checkpoints[stage], options, runSeed, index, stage);
        var holdsRecords = slices.Any(s => s.Count > 0);
        if (holdsRecords && checkpoints.Count == 0) throw new InvalidDataException("A shard holding records was persisted without checkpoints.");
        Mlp? model = !holdsRecords ? null : ModelCheckpoint.Load(approximateFromSlice is null ? checkpoints[^1] : servedModel.Span).Model;
        return new Shard(index, options, runSeed, backend ?? BlasBackend.Instance, slices.Select(s => s.ToArray()).ToArray(), [.. checkpoints], model, holdsRecords ? approximateFromSlice : null);
    }

    /// <summary>What forgetting <paramref name="records"/> would do (records the shard does not hold are left out), without doing it.</summary>
    public ShardUpdatePlan Plan(IEnumerable<int> records) => Plan(Removing(records).Contains);

    /// <summary>The plan of forgetting every record the shard holds for which <paramref name="removing"/> is true: one pass over the shard's records.</summary>
    internal ShardUpdatePlan Plan(Func<int, bool> removing)
    {
        var forgottenPerSlice = new int[slices.Length];
        for (var slice = 0; slice < slices.Length; slice++)
        {
            foreach (var record in slices[slice])
            {
                if (removing(record)) forgottenPerSlice[slice]++;
            }
        }

        return PlanFromCounts(forgottenPerSlice);
    }

    /// <summary>The plan of forgetting, from each slice, as many of the records it holds as <paramref name="forgottenPerSlice"/> says.</summary>
    internal ShardUpdatePlan PlanFromCounts(ReadOnlySpan<int> forgottenPerSlice)
    {
        var remaining = new int[slices.Length];
        var forgotten = 0;
        var affected = Options.Slices;
        for (var slice = 0; slice < slices.Length; slice++)
        {
            remaining[slice] = slices[slice].Length - forgottenPerSlice[slice];
            forgotten += forgottenPerSlice[slice];
            if (forgottenPerSlice[slice] > 0 && affected == Options.Slices) affected = slice;
        }

        var fromSlice = ReplayFrom(affected);
        var samples = fromSlice >= Options.Slices ? 0 : ShardTrainer.SamplesToTrain(remaining, fromSlice, Options);
        return ShardUpdatePlan.Create(Index, Options.Slices, fromSlice, forgotten, remaining.Sum(), samples, ShardTrainer.SamplesToTrain(remaining, 0, Options));
    }

    /// <summary>
    /// Exactly forgets <paramref name="records"/>: replays from the checkpoint before the earliest slice
    /// holding one of them (or before <see cref="ApproximateFromSlice"/>, when earlier), without them.
    /// The result is bit for bit the shard trained from scratch on the records it keeps. A scrubbed
    /// model is replaced by the exact one even when nothing is left to forget. Each replayed stage's checkpoint goes to
    /// <paramref name="trained"/> as the stage ends.
    /// </summary>
    public (Shard Shard, ShardUpdateReport Report) Forget(
        Dataset data, IEnumerable<int> records, IProgress<ShardProgress>? progress = null, IProgress<TrainedStage>? trained = null, CancellationToken cancellationToken = default) =>
        Forget(data, Removing(records).Contains, progress, trained, cancellationToken);

    /// <summary><see cref="Forget(Dataset, IEnumerable{int}, IProgress{ShardProgress}?, IProgress{TrainedStage}?, CancellationToken)"/> of every record the shard holds for which <paramref name="removing"/> is true.</summary>
    internal (Shard Shard, ShardUpdateReport Report) Forget(
        Dataset data, Func<int, bool> removing, IProgress<ShardProgress>? progress, IProgress<TrainedStage>? trained, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var kept = slices.Select(slice => slice.Where(r => !removing(r)).ToArray()).ToArray();
        var plan = PlanFromCounts(slices.Select((slice, index) => slice.Length - kept[index].Length).ToArray());
        Shard updated;
        long samples = 0;
        if (plan.Kind == ShardUpdateKind.Unchanged)
        {
            updated = this;
        }
        else if (plan.Kind == ShardUpdateKind.Drop)
        {
            updated = new Shard(Index, Options, RunSeed, Backend, kept, [], null, null);
        }
        else
        {
            updated = TrainFrom(data, plan.FromSlice, kept, progress, trained, cancellationToken);
            samples = plan.SamplesToTrain;
        }

        return (updated, new ShardUpdateReport(plan, samples, Stopwatch.GetElapsedTime(started)));
    }

    /// <summary>
    /// The approximate update served at once: the Fisher scrub of <paramref name="records"/> from the
    /// served model, retaining the rest of the shard. The records leave the slices; the checkpoints stay
    /// as they are, approximate from the earliest slice that held one of them, so the next replay
    /// (<see cref="Forget"/>, with or without more records) restores the exact model.
    /// </summary>
    public (Shard Shard, UnlearningReport Report) Scrub(Dataset data, IEnumerable<int> records, FisherScrubOptions options, long seed, CancellationToken cancellationToken = default)
    {
        var removing = Removing(records);
        var forget = removing.Order().ToArray();
        var kept = slices.Select(slice => slice.Where(r => !removing.Contains(r)).ToArray()).ToArray();
        var retain = kept.SelectMany(slice => slice).Order().ToArray();
        if (Model is null || forget.Length == 0)
            return (this, new UnlearningReport("fisher-scrub", 0, retain.Length, [], new Dictionary<string, double>(), "the shard holds none of the records"));
        if (retain.Length == 0)
            return (new Shard(Index, Options, RunSeed, Backend, kept, [], null, null), new UnlearningReport("fisher-scrub", forget.Length, 0, [], new Dictionary<string, double>(), "no record left: the shard dropped its model"));

        var result = Backend.Scrub(Model, data, forget, retain, options, seed, cancellationToken);
        var earliest = Array.FindIndex(slices, slice => slice.Any(removing.Contains));
        var approximateFrom = Math.Min(earliest, ApproximateFromSlice ?? earliest);
        return (new Shard(Index, Options, RunSeed, Backend, kept, checkpoints, result.Model, approximateFrom), result.Report);
    }

    /// <summary>The served model's weights (safetensors, no optimiser state); empty when the shard holds no records.</summary>
    public byte[] ModelBytes() => Model is null ? [] : ModelCheckpoint.Save(Model);

    /// <summary>SHA-256 of <see cref="ModelBytes"/> in lowercase hex, the served version's fingerprint; empty when the shard serves no model.</summary>
    public string WeightHash()
    {
        var bytes = ModelBytes();
        return bytes.Length == 0 ? "" : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    /// <summary>The served model's softmax for each row in <paramref name="indices"/> (rows x classes).</summary>
    /// <exception cref="InvalidOperationException">The shard holds no records, so it serves no model.</exception>
    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities) =>
        Backend.Probabilities(Model ?? throw new InvalidOperationException($"Shard {Index} holds no records and serves no model."), data, indices, probabilities);

    private HashSet<int> Removing(IEnumerable<int> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Where(Holds).ToHashSet();
    }

    // The earliest slice holding a record to forget (affected) or left approximate by a scrub (the slice count when neither), or
    // the first when the checkpoints are another engine's (a replay from them would not be exact).
    private int ReplayFrom(int affected)
    {
        var earliest = Math.Min(affected, ApproximateFromSlice ?? Options.Slices);
        if (earliest is 0 || earliest >= Options.Slices) return earliest;
        var engine = StageCheckpoint.Check(checkpoints[earliest - 1], Options, RunSeed, Index, earliest - 1);
        return engine == Backend.Engine ? earliest : 0;
    }

    private Shard TrainFrom(Dataset data, int fromSlice, int[][] kept, IProgress<ShardProgress>? progress, IProgress<TrainedStage>? trained, CancellationToken cancellationToken)
    {
        var before = fromSlice == 0 ? ReadOnlyMemory<byte>.Empty : checkpoints[fromSlice - 1];
        var run = Backend.TrainStages(data, Index, kept, fromSlice, before, Options, RunSeed, progress, trained, cancellationToken);
        return new Shard(Index, Options, RunSeed, Backend, kept, [.. checkpoints.Take(fromSlice), .. run.Checkpoints], run.Model, null);
    }
}
