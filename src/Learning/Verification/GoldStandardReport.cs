namespace Lethe.Learning.Verification;

/// <summary>A figure the gold-standard check compares.</summary>
public enum GoldStandardMeasure
{
    /// <summary>Accuracy on the test set.</summary>
    TestAccuracy,

    /// <summary>Mean cross-entropy on the test set.</summary>
    TestLoss,

    /// <summary>Test accuracy of the class where the two models differ most.</summary>
    PerClassAccuracy,

    /// <summary>AUC of the loss-threshold membership attack on the deleted records against test records.</summary>
    MiaAuc,

    /// <summary>Mean KL(gold ‖ served) over the test set; the gold standard's own figure is 0.</summary>
    MeanKl,
}

/// <summary>One figure of the served model beside the gold standard's, their gap and its tolerance.</summary>
/// <param name="Measure">Which figure.</param>
/// <param name="Served">The served model's value.</param>
/// <param name="Gold">The gold standard's value.</param>
/// <param name="Gap">|Served − Gold|.</param>
/// <param name="Tolerance">The largest gap that passes.</param>
/// <param name="Passed">Whether the gap is within the tolerance (a figure that cannot be measured, as the attack without deletions, passes).</param>
/// <param name="Class">For <see cref="GoldStandardMeasure.PerClassAccuracy"/>, the class of the largest gap.</param>
public sealed record GoldStandardFigure(GoldStandardMeasure Measure, double Served, double Gold, double Gap, double Tolerance, bool Passed, int? Class = null);

/// <summary>The outcome of a gold-standard check: every figure, and how long training the gold standard took.</summary>
public sealed record GoldStandardReport(int Retained, int Deleted, double TrainingSeconds, IReadOnlyList<GoldStandardFigure> Figures)
{
    /// <summary>Whether every figure is within its tolerance.</summary>
    public bool Passed => Figures.All(f => f.Passed);
}
