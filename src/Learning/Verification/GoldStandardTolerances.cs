namespace Lethe.Learning.Verification;

/// <summary>How far the served model may be from the gold standard (a model trained from scratch without every deletion) on each figure.</summary>
public sealed record GoldStandardTolerances
{
    /// <summary>Largest gap in test accuracy. Default 0.01.</summary>
    public double TestAccuracy { get; init; } = 0.01;

    /// <summary>Largest gap in mean test cross-entropy. Default 0.05.</summary>
    public double TestLoss { get; init; } = 0.05;

    /// <summary>Largest gap in any one class's test accuracy. Default 0.03.</summary>
    public double PerClassAccuracy { get; init; } = 0.03;

    /// <summary>Largest gap in the loss-threshold membership-inference AUC on the deleted records. Default 0.05.</summary>
    public double MiaAuc { get; init; } = 0.05;

    /// <summary>
    /// Largest mean KL(gold ‖ served) over the test set. Default 0.15: two trainings of the default MLP
    /// from scratch on the same 35,243 MNIST records, with different seeds, measured 0.090.
    /// </summary>
    public double MeanKl { get; init; } = 0.15;

    /// <summary>Throws when a tolerance is negative or not a number.</summary>
    public GoldStandardTolerances Validate()
    {
        foreach (var (value, name) in new[] { (TestAccuracy, nameof(TestAccuracy)), (TestLoss, nameof(TestLoss)), (PerClassAccuracy, nameof(PerClassAccuracy)), (MiaAuc, nameof(MiaAuc)), (MeanKl, nameof(MeanKl)) })
        {
            if (!(value >= 0)) throw new ArgumentOutOfRangeException(name, value, "A tolerance must be a number of at least 0.");
        }

        return this;
    }
}
