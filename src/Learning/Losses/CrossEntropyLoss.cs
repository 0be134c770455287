using System.Numerics.Tensors;

namespace Lethe.Learning.Losses;

/// <summary>Softmax cross-entropy: <c>-log softmax(z)_y</c>; its gradient is <c>softmax(z) - onehot(y)</c>.</summary>
public sealed class CrossEntropyLoss : ILoss
{
    /// <summary>The shared instance; the loss has no state.</summary>
    public static readonly CrossEntropyLoss Instance = new();

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, Span<float> delta, float deltaScale, Span<float> rowLosses)
    {
        for (var n = 0; n < rowLosses.Length; n++)
        {
            var row = logits.Slice(n * classes, classes);
            var gradient = delta.Slice(n * classes, classes);
            var logSumExp = Softmax.Row(row, gradient);
            var label = labels[n];
            rowLosses[n] = logSumExp - row[label];
            gradient[label] -= 1f;
            TensorPrimitives.Multiply(gradient, deltaScale, gradient);
        }
    }
}
