using System.Diagnostics;
using System.Numerics.Tensors;
using Lethe.Learning.Curvature;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// Influence-function correction (Koh and Liang; the Newton step of Guo et al.) that does not assume the
/// live model sits at a minimum: the model is taken to minimise its mean training loss plus an L2 prior
/// (λ/2)‖θ‖², the retrained model the retain loss plus the same prior per record, (λN/2n)‖θ‖²; each
/// minimum is estimated by one damped Newton step from the live model, and the correction is their
/// difference, <c>δ = (G + λI)⁻¹ (∇L_N + λθ) − (G + λ_n I)⁻¹ (∇L_n + λ_n θ)</c> with λ_n = λN/n and G the
/// Gauss-Newton curvature of the mean loss on a seeded sample of the retain set. Both systems are solved by
/// conjugate gradient.
/// </summary>
/// <remarks>
/// At a minimum of the regularised training objective the first term vanishes and δ is the classic
/// influence step <c>(G + λ_n I)⁻¹ g / n</c>, g the forget set's summed loss gradient. A model trained for
/// a few epochs is far from one: its loss gradient is mostly the optimiser's unfinished work, which the
/// forget gradient shares in proportion to the forget set's size; the difference of the two Newton
/// estimates cancels that shared part instead of undoing it as if it were the forget set's. The report
/// gives each solve's iterations and the measured residual of its solution.
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
        var retainSum = LossGradient.Sum(corrected, data, retain, Options.GradientBatchSize, cancellationToken);
        var forgetSum = LossGradient.Sum(corrected, data, forget, Options.GradientBatchSize, cancellationToken);
        var trainedOn = forget.Length + retain.Length;
        var fullDamping = Options.Damping;
        var retainDamping = Options.Damping * trainedOn / retain.Length;
        TensorPrimitives.Add(forgetSum, retainSum, forgetSum);
        var fullGradient = RegularisedGradient(forgetSum, trainedOn, corrected.Parameters, fullDamping);
        var retainGradient = RegularisedGradient(retainSum, retain.Length, corrected.Parameters, retainDamping);
        phases.Add(new PhaseTiming("gradient", clock.Elapsed));

        clock.Restart();
        var sample = IndexSampling.Draw(retain, Options.CurvatureSamples, Seeds.Generator(seed, Seeds.Purpose.Sampling, SamplingStream));
        var curvature = new GaussNewtonProduct(corrected, data, sample, Options.ChunkSize);
        phases.Add(new PhaseTiming("curvature", clock.Elapsed));

        clock.Restart();
        var full = Solve(curvature, fullGradient, fullDamping, cancellationToken);
        var retained = Solve(curvature, retainGradient, retainDamping, cancellationToken);
        var step = new float[full.Solution.Length];
        TensorPrimitives.Subtract(full.Solution, retained.Solution, step);
        TensorPrimitives.Add(corrected.Parameters, step, corrected.Parameters);
        phases.Add(new PhaseTiming("solve", clock.Elapsed));

        var details = new Dictionary<string, double>
        {
            ["curvature_samples"] = sample.Length,
            ["damping"] = fullDamping,
            ["retain_damping"] = retainDamping,
            ["cg_iterations"] = full.Iterations + retained.Iterations,
            ["cg_relative_residual"] = Math.Max(full.RelativeResidual, retained.RelativeResidual),
            ["cg_iterations_full"] = full.Iterations,
            ["cg_relative_residual_full"] = full.RelativeResidual,
            ["cg_iterations_retain"] = retained.Iterations,
            ["cg_relative_residual_retain"] = retained.RelativeResidual,
            ["gradient_norm_full"] = ConjugateGradient.Norm(fullGradient),
            ["gradient_norm_retain"] = ConjugateGradient.Norm(retainGradient),
            ["step_norm"] = ConjugateGradient.Norm(step),
        };
        return new UnlearningResult(corrected, new UnlearningReport(Name, forget.Length, retain.Length, phases, details));
    }

    /// <summary><c>sum / count + damping · θ</c>, written over <paramref name="sum"/>: the gradient of the mean loss plus the prior (damping/2)‖θ‖².</summary>
    private static float[] RegularisedGradient(float[] sum, int count, float[] parameters, float damping)
    {
        TensorPrimitives.Multiply(sum, 1f / count, sum);
        TensorPrimitives.MultiplyAdd(parameters, damping, sum, sum);
        return sum;
    }

    private ConjugateGradientResult Solve(GaussNewtonProduct curvature, float[] gradient, float damping, CancellationToken cancellationToken) =>
        ConjugateGradient.Solve((vector, result) => curvature.Multiply(vector, result, damping), gradient, Options.Tolerance, Options.MaxIterations, cancellationToken);
}
