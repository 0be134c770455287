namespace Lethe.Learning.Optimisers;

/// <summary>
/// Updates parameters from their gradients; keeps whatever state it needs between steps. A step is
/// <see cref="BeginStep"/> followed by <see cref="Apply"/> on every parameter range once, so a
/// training step can update each layer while its freshly computed gradients are still in cache.
/// </summary>
public interface IOptimiser
{
    /// <summary>Name used in checkpoints and reports (e.g. <c>adam</c>).</summary>
    string Name { get; }

    /// <summary>Starts a new step (advances the step count that bias corrections use).</summary>
    void BeginStep();

    /// <summary>Updates parameters [start, start + length) in place from the same range of <paramref name="gradients"/>.</summary>
    void Apply(float[] parameters, float[] gradients, int start, int length);

    /// <summary>A copy of the optimiser's state, for checkpoints.</summary>
    OptimiserState SaveState();

    /// <summary>Restores a state taken by <see cref="SaveState"/> from an optimiser of the same kind and size.</summary>
    void LoadState(OptimiserState state);
}

/// <summary>An optimiser's state: its step count and its named buffers (each the length of the parameters).</summary>
public sealed record OptimiserState(string Name, long Steps, IReadOnlyDictionary<string, float[]> Buffers);

/// <summary>Whole-model steps on top of <see cref="IOptimiser"/>.</summary>
public static class OptimiserExtensions
{
    /// <summary>One step over all parameters.</summary>
    public static void Step(this IOptimiser optimiser, float[] parameters, float[] gradients)
    {
        optimiser.BeginStep();
        optimiser.Apply(parameters, gradients, 0, parameters.Length);
    }
}
