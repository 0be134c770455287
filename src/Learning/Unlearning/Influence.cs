using System.Diagnostics;
using System.Numerics.Tensors;
using Lethe.Learning.Curvature;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// Influence-function correction (Koh and Liang; the Newton step of Guo et al.): one step that removes
/// the forget set's contribution to the live model, <c>δ = (G + λI)⁻¹ g / n</c>, with g the summed
/// cross-entropy gradient of the forget records, n the retain count and G the Gauss-Newton curvature of
/// the mean retain loss (on a seeded sample of the retain set), solved by conjugate gradient.
/// </summary>
/// <remarks>
/// At a minimum of the full training loss, the retain loss's gradient is −g / n, so δ is the Newton
/// step toward the minimum of the retain loss alone. The report gives the solver's iterations and the
/// measured residual of its solution.
/// </remarks>
public sealed class Influence(InfluenceOptions? options = null) : IUnlearningMethod
{
    private const int SamplingStream = 8;

    /// <summary>The settings in use.</summary>
    public InfluenceOptions Options { get; } = (options ?? new InfluenceOptions()).Validate();

    /// <inheritdoc />
    public string Name => "influence";

    /// <inheritdoc />
    public UnlearningResult Unlearn(Mlp model, Dataset data, int[] forget, int[] retain, long seed, CancellationToken cancellationToken = default)
    {
        UnlearningInputs.Validate(model, data, forget, retain);
        var phases = new List<PhaseTiming>();
        var clock = Stopwatch.StartNew();
        var corrected = model.Clone();
        var rhs = LossGradient.Sum(corrected, data, forget, Options.GradientBatchSize, cancellationToken);
        TensorPrimitives.Multiply(rhs, 1f / retain.Length, rhs);
        phases.Add(new PhaseTiming("gradient", clock.Elapsed));

        clock.Restart();
        var sample = IndexSampling.Draw(retain, Options.CurvatureSamples, Seeds.Generator(seed, Seeds.Purpose.Sampling, SamplingStream));
        var curvature = new GaussNewtonProduct(corrected, data, sample, Options.ChunkSize);
        phases.Add(new PhaseTiming("curvature", clock.Elapsed));

        clock.Restart();
        var solve = ConjugateGradient.Solve(
            (vector, result) => curvature.Multiply(vector, result, Options.Damping), rhs, Options.Tolerance, Options.MaxIterations, cancellationToken);
        TensorPrimitives.Add(corrected.Parameters, solve.Solution, corrected.Parameters);
        phases.Add(new PhaseTiming("solve", clock.Elapsed));

        var details = new Dictionary<string, double>
        {
            ["curvature_samples"] = sample.Length,
            ["damping"] = Options.Damping,
            ["cg_iterations"] = solve.Iterations,
            ["cg_relative_residual"] = solve.RelativeResidual,
            ["gradient_norm"] = ConjugateGradient.Norm(rhs),
            ["step_norm"] = ConjugateGradient.Norm(solve.Solution),
        };
        return new UnlearningResult(corrected, new UnlearningReport(Name, forget.Length, retain.Length, phases, details));
    }
}
