namespace Lethe.Learning.Losses;

/// <summary>A loss on a batch of logits, one row per example.</summary>
public interface ILoss
{
    /// <summary>
    /// Writes each row's loss into <paramref name="rowLosses"/> (its length is the number of rows) and
    /// <c>deltaScale * dLoss_n/dlogits_n</c> into <paramref name="delta"/> (rows x classes).
    /// </summary>
    void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> delta, float deltaScale, Span<float> rowLosses);
}
