using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Lethe.Learning.Kernels;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Optimisers;

/// <summary>SGD with momentum, as PyTorch's <c>torch.optim.SGD</c>: <c>b = μ b + g; p -= lr b</c>.</summary>
public sealed class SgdMomentum : IOptimiser
{
    private const int ElementGrain = 1024;
    private readonly float[] velocity;
    private long steps;

    /// <summary>Creates SGD for <paramref name="parameterCount"/> parameters.</summary>
    public SgdMomentum(int parameterCount, float learningRate = 0.01f, float momentum = 0.9f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        if (momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        LearningRate = learningRate;
        Momentum = momentum;
        velocity = new float[parameterCount];
    }

    /// <inheritdoc />
    public string Name => "sgd";

    /// <summary>Step size.</summary>
    public float LearningRate { get; set; }

    /// <summary>Momentum coefficient μ.</summary>
    public float Momentum { get; }

    /// <inheritdoc />
    public void BeginStep() => steps++;

    /// <inheritdoc />
    public void Apply(float[] parameters, float[] gradients, int start, int length)
    {
        if (parameters.Length != velocity.Length || gradients.Length != velocity.Length)
            throw new ArgumentException($"SGD was built for {velocity.Length} parameters; got {parameters.Length} parameters and {gradients.Length} gradients.");
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, velocity.Length, nameof(length));
        ComputePool.For(length, ElementGrain, (from, to) =>
        {
            var range = new Range(start + from, start + to);
            Update(parameters.AsSpan(range), gradients.AsSpan(range), velocity.AsSpan(range));
        });
    }

    // One fused pass that also keeps the momentum out of the subnormal range (see Subnormals).
    private void Update(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> momentum)
    {
        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradients);
        ref var b = ref MemoryMarshal.GetReference(momentum);
        float mu = Momentum, lr = LearningRate;
        var length = parameters.Length;
        var i = 0;
        for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var gi = Subnormals.Flush(Vector.LoadUnsafe(ref g, (nuint)i), Subnormals.GradientThreshold);
            var bi = Subnormals.Flush((Vector.LoadUnsafe(ref b, (nuint)i) * mu) + gi, Subnormals.StateThreshold);
            bi.StoreUnsafe(ref b, (nuint)i);
            (Vector.LoadUnsafe(ref p, (nuint)i) - (bi * lr)).StoreUnsafe(ref p, (nuint)i);
        }

        for (; i < length; i++)
        {
            var bi = Unsafe.Add(ref b, i) = Subnormals.Flush((Unsafe.Add(ref b, i) * mu) + Subnormals.Flush(Unsafe.Add(ref g, i), Subnormals.GradientThreshold), Subnormals.StateThreshold);
            Unsafe.Add(ref p, i) -= bi * lr;
        }
    }

    /// <inheritdoc />
    public OptimiserState SaveState() => new(Name, steps, new Dictionary<string, float[]> { ["momentum"] = (float[])velocity.Clone() });

    /// <inheritdoc />
    public void LoadState(OptimiserState state)
    {
        if (state.Name != Name) throw new ArgumentException($"Cannot load '{state.Name}' state into SGD.", nameof(state));
        var saved = state.Buffers["momentum"];
        if (saved.Length != velocity.Length) throw new ArgumentException("SGD state is for a different parameter count.", nameof(state));
        saved.CopyTo(velocity, 0);
        steps = state.Steps;
    }
}
