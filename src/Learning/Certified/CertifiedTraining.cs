using System.Numerics.Tensors;
using Lethe.Learning.Curvature;

namespace Lethe.Learning.Certified;

/// <summary>What training reached: the minimiser found, its gradient's norm, and the Newton steps and products it took.</summary>
internal sealed record TrainingOutcome(float[] Weights, double GradientNorm, int NewtonSteps, int SolverIterations);

/// <summary>
/// Minimises a <see cref="SoftmaxObjective"/> by Newton's method: each step solves H d = −∇J by conjugate
/// gradient, then backtracks until J falls enough (Armijo). The objective is strongly convex (λ n &gt; 0),
/// so the minimiser is unique and the steps reach it quadratically once near.
/// </summary>
/// <remarks>
/// Near the minimiser the decrease of J falls below the rounding of its float sum, so a full step is
/// also taken when it halves ‖∇J‖, which is what Newton's method does there. Training stops at the
/// gradient tolerance, or when no step improves on the current point.
/// </remarks>
internal static class CertifiedTraining
{
    private const double ArmijoFraction = 1e-4;
    private const int MaxHalvings = 30;

    public static TrainingOutcome Minimise(SoftmaxObjective objective, CertifiedOptions options, int records, CancellationToken cancellationToken)
    {
        var weights = new float[objective.ParameterCount];
        var gradient = new float[weights.Length];
        var trial = new float[weights.Length];
        var trialGradient = new float[weights.Length];
        var value = objective.Evaluate(weights);
        objective.Gradient(weights, gradient);
        var gradientNorm = ConjugateGradient.Norm(gradient);
        int steps = 0, products = 0;
        while (steps < options.MaxNewtonSteps && gradientNorm > options.GradientTolerance * records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TensorPrimitives.Negate(gradient, trial);
            var solve = ConjugateGradient.Solve(objective.HessianProduct, trial, options.SolverTolerance, options.MaxSolverIterations, cancellationToken);
            products += solve.Iterations + 1;
            var direction = solve.Solution;
            var slope = ConjugateGradient.Dot(gradient, direction);
            if (slope >= 0) break;

            var accepted = false;
            var step = 1f;
            for (var halving = 0; halving < MaxHalvings; halving++, step /= 2)
            {
                TensorPrimitives.MultiplyAdd(direction, step, weights, trial);
                var trialValue = objective.Evaluate(trial);
                objective.Gradient(trial, trialGradient);
                var trialNorm = ConjugateGradient.Norm(trialGradient);
                if (trialValue <= value + (ArmijoFraction * step * slope) || (halving == 0 && trialNorm <= gradientNorm / 2))
                {
                    (value, gradientNorm, accepted) = (trialValue, trialNorm, true);
                    break;
                }
            }

            if (!accepted)
            {
                objective.Evaluate(weights); // the cached probabilities belong to the current point again
                break;
            }

            trial.CopyTo(weights, 0);
            trialGradient.CopyTo(gradient, 0);
            steps++;
        }

        return new TrainingOutcome(weights, gradientNorm, steps, products);
    }
}
