using System.Numerics.Tensors;

namespace Lethe.Learning.Losses;

/// <summary>Softmax of a row of logits, computed stably.</summary>
public static class Softmax
{
    /// <summary>
    /// Logits further than this below a row's maximum are treated as exactly this far below it.
    /// </summary>
    /// <remarks>
    /// Their exponentials (under e^-64 ≈ 1.6e-28) are far below the float resolution of the row's sum,
    /// which is at least 1, so the log-sum-exp and every probability above 1e-27 are unchanged. Without
    /// the floor, a confident model feeds <see cref="TensorPrimitives.Exp(ReadOnlySpan{float}, Span{float})"/>
    /// arguments past its fast range and the loss of a batch took several times longer in later epochs;
    /// it also keeps probabilities, and the deltas scaled from them, out of the subnormal range.
    /// </remarks>
    public const float LogitFloor = -64f;

    /// <summary>Writes softmax(<paramref name="logits"/>) into <paramref name="probabilities"/> and returns log Σ exp(logits).</summary>
    public static float Row(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        var max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, probabilities);
        TensorPrimitives.Max(probabilities, LogitFloor, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        var sum = TensorPrimitives.Sum(probabilities);
        TensorPrimitives.Divide(probabilities, sum, probabilities);
        return max + MathF.Log(sum);
    }
}
