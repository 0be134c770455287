using System.Numerics.Tensors;

namespace Lethe.Learning.Losses;

/// <summary>Softmax of a row of logits, computed stably.</summary>
public static class Softmax
{
    /// <summary>Writes softmax(<paramref name="logits"/>) into <paramref name="probabilities"/> and returns log Σ exp(logits).</summary>
    public static float Row(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        var max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        var sum = TensorPrimitives.Sum(probabilities);
        TensorPrimitives.Divide(probabilities, sum, probabilities);
        return max + MathF.Log(sum);
    }
}
