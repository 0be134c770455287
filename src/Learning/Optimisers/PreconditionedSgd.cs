using System.Numerics.Tensors;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Optimisers;

/// <summary>
/// Plain SGD with a fixed per-parameter scale and a clamp on every parameter's step:
/// <c>p -= clamp(lr · s · g, −maxStep, maxStep)</c>. With <c>s = 1 / (F + α)</c> for a Fisher diagonal F,
/// it is the Fisher-preconditioned step the scrub takes.
/// </summary>
public sealed class PreconditionedSgd : IOptimiser
{
    private const int ElementGrain = 4096;
    private readonly float[] scale;
    private readonly float[] step;
    private long steps;

    /// <summary>Creates the optimiser; <paramref name="scale"/> holds one factor per parameter and is copied.</summary>
    public PreconditionedSgd(ReadOnlySpan<float> scale, float learningRate, float maxStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxStep);
        this.scale = scale.ToArray();
        step = new float[scale.Length];
        LearningRate = learningRate;
        MaxStep = maxStep;
    }

    /// <summary>A scale of <c>1 / (fisher + damping)</c> for every parameter.</summary>
    public static PreconditionedSgd FromFisher(ReadOnlySpan<float> fisher, float damping, float learningRate, float maxStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(damping);
        var scale = new float[fisher.Length];
        TensorPrimitives.Add(fisher, damping, scale);
        TensorPrimitives.Reciprocal(scale, scale);
        return new PreconditionedSgd(scale, learningRate, maxStep);
    }

    /// <inheritdoc />
    public string Name => "preconditioned-sgd";

    /// <summary>Step size applied to the scaled gradient.</summary>
    public float LearningRate { get; }

    /// <summary>Largest change of any one parameter in one step.</summary>
    public float MaxStep { get; }

    /// <summary>Steps begun so far.</summary>
    public long Steps => steps;

    /// <inheritdoc />
    public void BeginStep() => steps++;

    /// <inheritdoc />
    public void Apply(float[] parameters, float[] gradients, int start, int length)
    {
        if (parameters.Length != scale.Length || gradients.Length != scale.Length)
            throw new ArgumentException($"The optimiser was built for {scale.Length} parameters; got {parameters.Length} parameters and {gradients.Length} gradients.");
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, scale.Length, nameof(length));
        ComputePool.For(length, ElementGrain, (from, to) =>
        {
            var range = new Range(start + from, start + to);
            var delta = step.AsSpan(range);
            var p = parameters.AsSpan(range);
            TensorPrimitives.Multiply(gradients.AsSpan(range), scale.AsSpan(range), delta);
            TensorPrimitives.Multiply(delta, LearningRate, delta);
            TensorPrimitives.Clamp(delta, -MaxStep, MaxStep, delta);
            TensorPrimitives.Subtract(p, delta, p);
        });
    }

    /// <inheritdoc />
    public OptimiserState SaveState() => new(Name, steps, new Dictionary<string, float[]> { ["scale"] = (float[])scale.Clone() });

    /// <inheritdoc />
    public void LoadState(OptimiserState state)
    {
        if (state.Name != Name) throw new ArgumentException($"Cannot load '{state.Name}' state into {Name}.", nameof(state));
        var saved = state.Buffers["scale"];
        if (saved.Length != scale.Length) throw new ArgumentException($"{Name} state is for a different parameter count.", nameof(state));
        saved.CopyTo(scale, 0);
        steps = state.Steps;
    }
}
