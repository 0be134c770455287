using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Lethe.Learning.Kernels;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Optimisers;

/// <summary>
/// Adam (Kingma and Ba) with bias correction, as PyTorch's <c>torch.optim.Adam</c>:
/// <c>m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²; p -= lr (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + ε)</c>.
/// </summary>
public sealed class Adam : IOptimiser
{
    private const int ElementGrain = 1024;
    private readonly float[] m;
    private readonly float[] v;
    private long steps;
    private float stepSize;
    private float secondMomentScale;

    /// <summary>Creates Adam for <paramref name="parameterCount"/> parameters.</summary>
    public Adam(int parameterCount, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β1 must be in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β2 must be in [0, 1).");
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        m = new float[parameterCount];
        v = new float[parameterCount];
    }

    /// <inheritdoc />
    public string Name => "adam";

    /// <summary>Step size.</summary>
    public float LearningRate { get; set; }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the root of the second moment.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public void BeginStep()
    {
        steps++;
        stepSize = LearningRate / (1 - MathF.Pow(Beta1, steps));
        secondMomentScale = 1 / MathF.Sqrt(1 - MathF.Pow(Beta2, steps));
    }

    /// <inheritdoc />
    public void Apply(float[] parameters, float[] gradients, int start, int length)
    {
        if (parameters.Length != m.Length || gradients.Length != m.Length)
            throw new ArgumentException($"Adam was built for {m.Length} parameters; got {parameters.Length} parameters and {gradients.Length} gradients.");
        if (steps == 0) throw new InvalidOperationException("Call BeginStep before Apply.");
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, m.Length, nameof(length));
        ComputePool.For(length, ElementGrain, (from, to) =>
        {
            var range = new Range(start + from, start + to);
            Update(parameters.AsSpan(range), gradients.AsSpan(range), m.AsSpan(range), v.AsSpan(range));
        });
    }

    /// <inheritdoc />
    public OptimiserState SaveState() =>
        new(Name, steps, new Dictionary<string, float[]> { ["m"] = (float[])m.Clone(), ["v"] = (float[])v.Clone() });

    /// <inheritdoc />
    public void LoadState(OptimiserState state)
    {
        if (state.Name != Name) throw new ArgumentException($"Cannot load '{state.Name}' state into Adam.", nameof(state));
        var savedM = state.Buffers["m"];
        var savedV = state.Buffers["v"];
        if (savedM.Length != m.Length || savedV.Length != v.Length) throw new ArgumentException("Adam state is for a different parameter count.", nameof(state));
        savedM.CopyTo(m, 0);
        savedV.CopyTo(v, 0);
        steps = state.Steps;
        if (steps > 0)
        {
            steps--;
            BeginStep();
        }
    }

    // One fused pass: separate TensorPrimitives passes would stream the four arrays through cache several times.
    // 512-bit vectors: the square root and the division make the pass bound by the divider, which takes
    // one 512-bit operation in about the time of two 256-bit ones (Vector<float> is 256 bits by default).
    // Without AVX-512, .NET runs each 512-bit operation as two 256-bit ones.
    // Stored moments are kept out of the subnormal range (see Subnormals).
    private void Update(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment)
    {
        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradients);
        ref var mm = ref MemoryMarshal.GetReference(firstMoment);
        ref var vv = ref MemoryMarshal.GetReference(secondMoment);
        float b1 = Beta1, b2 = Beta2, c1 = 1 - Beta1, c2 = 1 - Beta2, eps = Epsilon, size = stepSize, scale = secondMomentScale;
        var length = parameters.Length;
        var i = 0;
        for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var gi = Subnormals.Flush(Vector512.LoadUnsafe(ref g, (nuint)i), Subnormals.GradientThreshold);
            var mi = Subnormals.Flush((Vector512.LoadUnsafe(ref mm, (nuint)i) * b1) + (gi * c1), Subnormals.StateThreshold);
            var vi = Subnormals.Flush((Vector512.LoadUnsafe(ref vv, (nuint)i) * b2) + (gi * gi * c2), Subnormals.StateThreshold);
            mi.StoreUnsafe(ref mm, (nuint)i);
            vi.StoreUnsafe(ref vv, (nuint)i);
            var denominator = (Vector512.Sqrt(vi) * scale) + Vector512.Create(eps);
            (Vector512.LoadUnsafe(ref p, (nuint)i) - (mi * size / denominator)).StoreUnsafe(ref p, (nuint)i);
        }

        for (; i < length; i++)
        {
            var gi = Subnormals.Flush(Unsafe.Add(ref g, i), Subnormals.GradientThreshold);
            var mi = Unsafe.Add(ref mm, i) = Subnormals.Flush((Unsafe.Add(ref mm, i) * b1) + (gi * c1), Subnormals.StateThreshold);
            var vi = Unsafe.Add(ref vv, i) = Subnormals.Flush((Unsafe.Add(ref vv, i) * b2) + (gi * gi * c2), Subnormals.StateThreshold);
            Unsafe.Add(ref p, i) -= mi * size / ((MathF.Sqrt(vi) * scale) + eps);
        }
    }
}
