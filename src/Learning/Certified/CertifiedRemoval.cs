using System.Diagnostics;
using System.Numerics.Tensors;
using Lethe.Learning.Curvature;
using Lethe.Learning.Data;
using Lethe.Learning.Unlearning;

namespace Lethe.Learning.Certified;

/// <summary>A certified model after a deletion, the report of what was done, and the deletion's certificate.</summary>
public sealed record CertifiedRemovalResult(CertifiedModel Model, UnlearningReport Report, CertifiedGuarantee Guarantee, bool Retrained);

/// <summary>
/// Certified removal (Guo et al., ICML 2020) from a <see cref="CertifiedModel"/>: one Newton step,
/// <c>W⁻ = W + H⁻¹Δ</c>, with <c>Δ = λ m W + Σ_forget ∇ℓ(W)</c> and H the Hessian of the objective over the
/// retained records. The gradient the step leaves is bounded (solver residual plus the Taylor remainder
/// of <see cref="ResidualBound"/>) and the bounds add up over deletions; when the sum would take ε past
/// the budget, the model is trained again from scratch on the retained records, with fresh noise.
/// </summary>
public sealed class CertifiedRemoval
{
    /// <summary>The method's name as the API and reports spell it.</summary>
    public string Name { get; } = UnlearningMethods.Certified;

    /// <summary>
    /// Removes <paramref name="forget"/> from <paramref name="model"/>, which must hold exactly the records
    /// <paramref name="forget"/> and <paramref name="retain"/>; the model given is left unchanged.
    /// </summary>
    public CertifiedRemovalResult Forget(CertifiedModel model, Dataset data, int[] forget, int[] retain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckFits(data);
        UnlearningInputs.ValidateRecords(data, forget, retain);
        if (forget.Length + retain.Length != model.TrainedCount)
        {
            throw new ArgumentException(
                $"The model holds {model.TrainedCount:N0} records; the forget and retain sets hold {forget.Length + retain.Length:N0}.", nameof(retain));
        }

        var options = model.Options;
        var phases = new List<PhaseTiming>();
        var clock = Stopwatch.StartNew();
        var retained = FeatureMatrix.Create(model.Features, data, retain);
        var objective = new SoftmaxObjective(retained, model.ClassCount, options.Regularisation, CertifiedModel.Noise(options, model.WeightBuffer.Length, model.RunSeed, model.Generation));
        objective.Evaluate(model.WeightBuffer);
        var change = Change(model, data, forget);
        phases.Add(new PhaseTiming("gradient", clock.Elapsed));

        clock.Restart();
        var solve = ConjugateGradient.Solve(objective.HessianProduct, change, options.SolverTolerance, options.MaxSolverIterations, cancellationToken);
        phases.Add(new PhaseTiming("newton", clock.Elapsed));

        clock.Restart();
        var spectralNorm = ResidualBound.SpectralNorm(retained, options.SpectralIterations);
        var remainder = ResidualBound.TaylorRemainder(spectralNorm, objective.Logits(solve.Solution), model.ClassCount);
        var stepBound = solve.ResidualNorm + remainder;
        var bound = model.Guarantee.GradientResidualBound + stepBound;
        var epsilon = options.NoiseMultiplier * bound / options.NoiseStandardDeviation;
        phases.Add(new PhaseTiming("bound", clock.Elapsed));

        CertifiedModel result;
        var retrained = epsilon > options.EpsilonBudget;
        if (retrained)
        {
            clock.Restart();
            result = CertifiedModel.Train(data, retain, options, model.Features, model.RunSeed, model.Generation + 1, cancellationToken);
            phases.Add(new PhaseTiming("retrain", clock.Elapsed));
        }
        else
        {
            var updated = model.WeightBuffer.ToArray();
            TensorPrimitives.Add(updated, solve.Solution, updated);
            result = new CertifiedModel(options, model.Features, updated, model.ClassCount, retain.Length, model.RunSeed, model.Generation, bound);
        }

        var guarantee = result.Guarantee;
        var details = new Dictionary<string, double>
        {
            ["epsilon"] = guarantee.Epsilon,
            ["delta"] = guarantee.Delta,
            ["gradient_residual_bound"] = guarantee.GradientResidualBound,
            ["step_residual_bound"] = stepBound,
            ["newton_step_epsilon"] = epsilon,
            ["epsilon_budget"] = options.EpsilonBudget,
            ["cg_iterations"] = solve.Iterations,
            ["cg_relative_residual"] = solve.RelativeResidual,
            ["spectral_norm_bound"] = spectralNorm,
            ["retrained"] = retrained ? 1 : 0,
            ["generation"] = result.Generation,
        };
        var note = retrained
            ? $"the Newton step would have certified only ε = {epsilon:G3} (budget {options.EpsilonBudget:G3}): the model was trained again from scratch without the records"
            : null;
        var report = new UnlearningReport(Name, forget.Length, retain.Length, phases, details, note);
        return new CertifiedRemovalResult(result, report, guarantee, retrained);
    }

    /// <summary>Δ = λ m W + Σ over the forget records of ∇ℓ(W): the gradient the removed records and their share of the regulariser add to the objective.</summary>
    private static float[] Change(CertifiedModel model, Dataset data, int[] forget)
    {
        var removed = FeatureMatrix.Create(model.Features, data, forget);
        var objective = new SoftmaxObjective(removed, model.ClassCount, model.Options.Regularisation, new float[model.WeightBuffer.Length]);
        var change = new float[model.WeightBuffer.Length];
        objective.Evaluate(model.WeightBuffer);
        objective.Gradient(model.WeightBuffer, change);
        return change;
    }
}
