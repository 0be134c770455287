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
        var uniform = 1f / classes;
        var logClasses = MathF.Log(classes);
        for (var n = 0; n < rowLosses.Length; n++)
        {
            var row = logits.Slice(n * classes, classes);
            var gradient = delta.Slice(n * classes, classes);
            var logSumExp = Softmax.Row(row, gradient);
            rowLosses[n] = logSumExp - (TensorPrimitives.Sum(row) / classes) - logClasses;
            TensorPrimitives.Subtract(gradient, uniform, gradient);
            TensorPrimitives.Multiply(gradient, deltaScale, gradient);
        }
    }
}
