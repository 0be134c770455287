using Lethe.Learning.Models;

namespace Lethe.Learning.Unlearning;

/// <summary>How a Fisher scrub went (on either backend), and the result both report of it.</summary>
internal readonly record struct ScrubProgress(int Steps, int Epochs, int ActiveFirstEpoch, int ActiveLastEpoch, double MeanLossLastEpoch)
{
    /// <summary>The scrub's result: <paramref name="pool"/> forget records were scrubbed against the targets of <see cref="ScrubTargets"/>.</summary>
    public UnlearningResult Result(Mlp scrubbed, int forget, int retain, List<PhaseTiming> phases, int pool, FisherScrubOptions options, float[] targets)
    {
        var details = new Dictionary<string, double>
        {
            ["fisher_samples"] = pool == 0 ? 0 : Math.Min(retain, options.Fisher.MaxSamples),
            ["classes_scrubbed"] = targets.Count(t => t < ScrubTargets.NoScrub),
            ["records_scrubbed"] = pool,
            ["steps"] = Steps,
            ["epochs"] = Epochs,
            ["records_above_chance_first_epoch"] = ActiveFirstEpoch,
            ["records_above_chance_last_epoch"] = ActiveLastEpoch,
            ["forget_kl_last_epoch"] = MeanLossLastEpoch,
        };
        var note = pool == 0
            ? "no class of the forget set has left the retain set, so nothing was scrubbed: the model is returned unchanged"
            : null;
        return new UnlearningResult(scrubbed, new UnlearningReport("fisher-scrub", forget, retain, phases, details, note));
    }
}
