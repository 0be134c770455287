namespace Lethe.Learning.Losses;

/// <summary>
/// <see cref="UniformKlLoss"/> on the rows whose label still has more probability than its class's
/// threshold, and zero (loss and gradient) on the rest: a row whose label has already fallen to its
/// target is left alone, so the uniform target does not pull its label back up.
/// </summary>
public sealed class GatedUniformKlLoss : ILoss
{
    private readonly float[] thresholds;

    /// <summary>Creates the loss with one label-probability threshold per class.</summary>
    public GatedUniformKlLoss(ReadOnlySpan<float> thresholds)
    {
        if (thresholds.IsEmpty) throw new ArgumentException("One threshold per class is needed.", nameof(thresholds));
        this.thresholds = thresholds.ToArray();
    }

    /// <summary>The label-probability threshold of each class.</summary>
    public IReadOnlyList<float> Thresholds => thresholds;

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> delta, float deltaScale, Span<float> rowLosses)
    {
        if (classes != thresholds.Length) throw new ArgumentException($"The loss has thresholds for {thresholds.Length} classes; the logits have {classes}.", nameof(classes));
        for (var n = 0; n < rowLosses.Length; n++)
        {
            var row = logits.Slice(n * classes, classes);
            var gradient = delta.Slice(n * classes, classes);
            var logSumExp = Softmax.Row(row, gradient);
            if (gradient[labels[n]] <= thresholds[labels[n]])
            {
                rowLosses[n] = 0f;
                gradient.Clear();
                continue;
            }

            rowLosses[n] = UniformKlLoss.FromSoftmax(row, logSumExp, gradient, deltaScale);
        }
    }
}
