namespace Lethe.Learning.Sharding;

/// <summary>
/// How many epochs each stage of a shard trains, from the epochs of the training recipe (E) and the
/// number of slices (R). Stage j trains on slices 0..j, so its epochs cost (j+1)/R passes over the shard.
/// </summary>
public enum SliceSchedule
{
    /// <summary>
    /// SISA's rule (Bourtoule et al., section V-B): every stage trains 2E/(R+1) epochs, rounded to the
    /// nearest whole epoch and at least 1, so the sliced shard costs what training it in one piece for E
    /// epochs costs (exactly so when 2E/(R+1) is whole).
    /// </summary>
    Sisa,

    /// <summary>Every stage trains E epochs: a shard costs E(R+1)/2 passes over its records.</summary>
    EveryStage,
}

/// <summary>The stage epochs and the names of <see cref="SliceSchedule"/> values.</summary>
public static class SliceSchedules
{
    /// <summary>The epochs of each of <paramref name="slices"/> stages under <paramref name="schedule"/>, first stage first.</summary>
    /// <param name="schedule">The rule.</param>
    /// <param name="epochs">E, the recipe's epochs (at least 1).</param>
    /// <param name="slices">R (at least 1).</param>
    public static int[] StageEpochs(this SliceSchedule schedule, int epochs, int slices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        var perStage = schedule switch
        {
            // Integer arithmetic: round(2E/(R+1)) = floor((4E + R + 1) / (2(R + 1))).
            SliceSchedule.Sisa => Math.Max(1, ((4 * epochs) + slices + 1) / (2 * (slices + 1))),
            SliceSchedule.EveryStage => epochs,
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown slice schedule."),
        };
        return Enumerable.Repeat(perStage, slices).ToArray();
    }

    /// <summary>The name of <paramref name="schedule"/>: <c>sisa</c> or <c>every-stage</c>.</summary>
    public static string ToName(this SliceSchedule schedule) => schedule switch
    {
        SliceSchedule.Sisa => "sisa",
        SliceSchedule.EveryStage => "every-stage",
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown slice schedule."),
    };
}
