using System.Numerics.Tensors;

namespace Lethe.Learning.Losses;

/// <summary>
/// KL(uniform || softmax(z)) = -log C + logsumexp(z) - mean(z): zero when the model has no opinion.
/// Its gradient with respect to the logits is <c>softmax(z) - 1/C</c>. Labels are ignored.
/// </summary>
public sealed class UniformKlLoss : ILoss
{
    /// <summary>The shared instance; the loss has no state.</summary>
    public static readonly UniformKlLoss Instance = new();

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> delta, float deltaScale, Span<float> rowLosses)
    {
        for (var n = 0; n < rowLosses.Length; n++)
        {
            var row = logits.Slice(n * classes, classes);
            var gradient = delta.Slice(n * classes, classes);
            rowLosses[n] = FromSoftmax(row, Softmax.Row(row, gradient), gradient, deltaScale);
        }
    }

    /// <summary>
    /// One row's loss, given its logits and their log-sum-exp, with <paramref name="gradient"/> holding
    /// the row's softmax on entry and <c>deltaScale * (softmax - 1/C)</c> on return.
    /// </summary>
    internal static float FromSoftmax(ReadOnlySpan<float> logits, float logSumExp, Span<float> gradient, float deltaScale)
    {
        var classes = logits.Length;
        TensorPrimitives.Subtract(gradient, 1f / classes, gradient);
        TensorPrimitives.Multiply(gradient, deltaScale, gradient);
        return logSumExp - (TensorPrimitives.Sum(logits) / classes) - MathF.Log(classes);
    }
}
