using System.Diagnostics;
using System.Numerics.Tensors;
using Lethe.Learning.Data;
using Lethe.Learning.Fisher;
using Lethe.Learning.Kernels;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// Fisher forgetting (Golatkar et al., "Eternal Sunshine of the Spotless Net"): one Gaussian perturbation
/// of every parameter, with variance α / (F_ii + ε) for F the retain-set Fisher diagonal, its standard
/// deviation clamped; parameters the retain set relies on barely move, the rest are drowned in noise.
/// Seeded from <c>Seeds.Generator(seed, Noise)</c>.
/// </summary>
public sealed class FisherNoise(FisherNoiseOptions? options = null) : IUnlearningMethod
{
    /// <summary>The settings in use.</summary>
    public FisherNoiseOptions Options { get; } = (options ?? new FisherNoiseOptions()).Validate();

    /// <inheritdoc />
    public string Name => "fisher-noise";

    /// <summary>The standard deviation of each parameter's noise for a Fisher diagonal: <c>min(sqrt(α / (F + ε)), max)</c>.</summary>
    public float[] StandardDeviations(ReadOnlySpan<float> fisher)
    {
        var deviations = new float[fisher.Length];
        TensorPrimitives.Add(fisher, Options.Epsilon, deviations);
        TensorPrimitives.Divide(Options.NoiseScale, deviations, deviations);
        TensorPrimitives.Sqrt(deviations, deviations);
        TensorPrimitives.Min(deviations, Options.MaxStandardDeviation, deviations);
        return deviations;
    }

    /// <inheritdoc />
    public UnlearningResult Unlearn(Mlp model, Dataset data, int[] forget, int[] retain, long seed, CancellationToken cancellationToken = default)
    {
        UnlearningInputs.Validate(model, data, forget, retain);
        var phases = new List<PhaseTiming>();
        var clock = Stopwatch.StartNew();
        var noisy = model.Clone();
        var fisher = FisherDiagonal.Estimate(noisy, data, retain, Options.Fisher, seed, cancellationToken);
        phases.Add(new PhaseTiming("fisher", clock.Elapsed));

        clock.Restart();
        var deviations = StandardDeviations(fisher);
        var perturbation = new float[deviations.Length];
        GaussianNoise.Fill(Seeds.Generator(seed, Seeds.Purpose.Noise), perturbation);
        TensorPrimitives.Multiply(perturbation, deviations, perturbation);
        TensorPrimitives.Add(noisy.Parameters, perturbation, noisy.Parameters);
        phases.Add(new PhaseTiming("noise", clock.Elapsed));

        var details = new Dictionary<string, double>
        {
            ["fisher_samples"] = Math.Min(retain.Length, Options.Fisher.MaxSamples),
            ["mean_standard_deviation"] = TensorPrimitives.Sum(deviations) / deviations.Length,
            ["clamped_fraction"] = (double)deviations.AsSpan().Count(Options.MaxStandardDeviation) / deviations.Length,
            ["perturbation_norm"] = TensorPrimitives.Norm(perturbation),
        };
        return new UnlearningResult(noisy, new UnlearningReport(Name, forget.Length, retain.Length, phases, details));
    }
}
