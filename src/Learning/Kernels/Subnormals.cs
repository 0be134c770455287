using System.Numerics;
using System.Runtime.Intrinsics;

namespace Lethe.Learning.Kernels;

/// <summary>
/// Keeps optimiser state out of the subnormal range. A buffer that decays geometrically (Adam's
/// moments, SGD's momentum, for a unit whose gradient has gone to zero) passes through subnormal
/// floats for dozens of steps, and every operation on a subnormal costs a microcode assist on x86:
/// a few thousand such entries made a training step 15% slower. .NET cannot set the flush-to-zero
/// mode of a thread, so the kernels flush what they store instead.
/// </summary>
public static class Subnormals
{
    /// <summary>Optimiser state below this magnitude is stored as zero: its effect on a step is below 1e-20 of any parameter.</summary>
    public const float StateThreshold = 1e-30f;

    /// <summary>Gradients below this magnitude are read as zero, so squaring them cannot produce a subnormal.</summary>
    public const float GradientThreshold = 1e-15f;

    /// <summary>Each lane of <paramref name="values"/>, or zero where its magnitude is below <paramref name="threshold"/>.</summary>
    public static Vector<float> Flush(Vector<float> values, float threshold) =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(values), new Vector<float>(threshold)), Vector<float>.Zero, values);

    /// <summary>Each lane of <paramref name="values"/>, or zero where its magnitude is below <paramref name="threshold"/>.</summary>
    public static Vector512<float> Flush(Vector512<float> values, float threshold) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(values), Vector512.Create(threshold)), Vector512<float>.Zero, values);

    /// <summary><paramref name="value"/>, or zero when its magnitude is below <paramref name="threshold"/>.</summary>
    public static float Flush(float value, float threshold) => MathF.Abs(value) < threshold ? 0f : value;
}
