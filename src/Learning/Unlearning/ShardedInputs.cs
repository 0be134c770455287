using Lethe.Learning.Sharding;

namespace Lethe.Learning.Unlearning;

/// <summary>What every sharded method checks on its inputs and reports of a replay.</summary>
internal static class ShardedInputs
{
    /// <summary>Throws <see cref="ArgumentException"/> unless there is a model and at least one record to forget.</summary>
    public static void Validate(ShardedModel model, int[] forget)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forget);
        if (forget.Length == 0) throw new ArgumentException("The forget set is empty: there is nothing to unlearn.", nameof(forget));
    }

    /// <summary>The report of a replay: one phase, and the shards and samples it touched beside <paramref name="details"/>.</summary>
    public static UnlearningReport ReplayReport(string method, DeletionReport replay, ShardedModel after, Dictionary<string, double> details, string? note)
    {
        details["shards_updated"] = replay.Shards.Count;
        details["shards_dropped"] = replay.Shards.Count(s => s.Plan.Kind == ShardUpdateKind.Drop);
        details["samples_trained"] = replay.SamplesTrained;
        details["live_shards"] = after.LiveShardCount;
        var retained = after.RecordCount - after.ForgottenCount;
        return new UnlearningReport(method, replay.Forgotten, retained, [new PhaseTiming("replay", replay.Duration)], details, note);
    }
}
