using System.Numerics.Tensors;
using Lethe.Learning.Blas;
using Lethe.Learning.Curvature;
using Lethe.Learning.Data;
using Lethe.Learning.Kernels;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;
using Lethe.Learning.Training;

namespace Lethe.Learning.Certified;

/// <summary>
/// A model for which removal is provable (Guo et al., "Certified Data Removal from Machine Learning
/// Models", ICML 2020): L2-regularised softmax regression on a feature map fixed before training,
/// trained to the minimum of an objective perturbed by seeded Gaussian noise,
/// <c>Σ ℓ(W φ_i, y_i) + (λ n / 2) ‖W‖² + ⟨B, W⟩</c>. <see cref="CertifiedRemoval"/> deletes records from it
/// with one Newton step and tracks the bound that certifies the result.
/// </summary>
public sealed class CertifiedModel : IClassifier
{
    private const int NoiseStream = 12;
    private const int Chunk = 2048;
    private readonly float[] weights;

    internal CertifiedModel(CertifiedOptions options, FeatureMap features, float[] weights, int classes, int trainedCount, long runSeed, int generation, double bound)
    {
        Options = options;
        Features = features;
        this.weights = weights;
        ClassCount = classes;
        TrainedCount = trainedCount;
        RunSeed = runSeed;
        Generation = generation;
        Guarantee = new CertifiedGuarantee(options.NoiseMultiplier * bound / options.NoiseStandardDeviation, options.Delta, bound);
    }

    /// <summary>The settings it was trained with.</summary>
    public CertifiedOptions Options { get; }

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <summary>Features per record, the constant included.</summary>
    public int FeatureCount => Features.Dimension;

    /// <summary>W, classes x features, row-major.</summary>
    public ReadOnlySpan<float> Weights => weights;

    /// <summary>Records in the objective the weights minimise (or, after Newton steps, approximately minimise).</summary>
    public int TrainedCount { get; }

    /// <summary>The run seed the noise derives from.</summary>
    public long RunSeed { get; }

    /// <summary>Times the model has been trained from scratch after its first training (the noise B is drawn afresh each time).</summary>
    public int Generation { get; }

    /// <summary>The certificate of the current weights.</summary>
    public CertifiedGuarantee Guarantee { get; }

    internal FeatureMap Features { get; }

    internal float[] WeightBuffer => weights;

    /// <summary>
    /// Trains on <paramref name="records"/> of <paramref name="data"/> from scratch, with the noise B (entries
    /// N(0, σ²)) drawn from <c>Seeds.Generator(seed, Noise, stream, generation)</c>.
    /// </summary>
    public static CertifiedModel Train(Dataset data, int[] records, CertifiedOptions? options = null, long seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Length == 0) throw new ArgumentException("A certified model needs at least one record.", nameof(records));
        foreach (var row in records)
        {
            if ((uint)row >= (uint)data.Count) throw new ArgumentException($"Index {row} is not a row of the data (0..{data.Count - 1}).", nameof(records));
        }

        options = (options ?? new CertifiedOptions()).Validate();
        return Train(data, records, options, new FeatureMap(data.FeatureCount), seed, 0, cancellationToken);
    }

    internal static CertifiedModel Train(
        Dataset data, int[] records, CertifiedOptions options, FeatureMap features, long seed, int generation, CancellationToken cancellationToken)
    {
        var matrix = FeatureMatrix.Create(features, data, records);
        var objective = new SoftmaxObjective(matrix, data.ClassCount, options.Regularisation, Noise(options, data.ClassCount * features.Dimension, seed, generation));
        var outcome = CertifiedTraining.Minimise(objective, options, records.Length, cancellationToken);
        return new CertifiedModel(options, features, outcome.Weights, data.ClassCount, records.Length, seed, generation, outcome.GradientNorm);
    }

    /// <summary>The noise B of a generation: entries N(0, σ²).</summary>
    internal static float[] Noise(CertifiedOptions options, int length, long seed, int generation)
    {
        var noise = new float[length];
        GaussianNoise.Fill(Seeds.Generator(seed, Seeds.Purpose.Noise, NoiseStream, generation), noise);
        TensorPrimitives.Multiply(noise, (float)options.NoiseStandardDeviation, noise);
        return noise;
    }

    /// <summary>
    /// ‖∇J(W)‖ of the perturbed objective over <paramref name="records"/>, measured: what the certificate's
    /// bound β bounds when <paramref name="records"/> are the records the model holds.
    /// </summary>
    public double MeasureGradientResidual(Dataset data, int[] records)
    {
        ArgumentNullException.ThrowIfNull(records);
        CheckFits(data);
        var matrix = FeatureMatrix.Create(Features, data, records);
        var objective = new SoftmaxObjective(matrix, ClassCount, Options.Regularisation, Noise(Options, weights.Length, RunSeed, Generation));
        var gradient = new float[weights.Length];
        objective.Evaluate(weights);
        objective.Gradient(weights, gradient);
        return ConjugateGradient.Norm(gradient);
    }

    /// <inheritdoc />
    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities)
    {
        CheckFits(data);
        var classes = ClassCount;
        if (probabilities.Length < indices.Length * classes) throw new ArgumentException("Probability buffer too small.", nameof(probabilities));
        var dimension = FeatureCount;
        var features = new float[Math.Min(Chunk, indices.Length) * dimension];
        var logits = new float[Math.Min(Chunk, indices.Length) * classes];
        for (var start = 0; start < indices.Length; start += Chunk)
        {
            var count = Math.Min(Chunk, indices.Length - start);
            Features.Map(data, indices.Slice(start, count), features);
            Gemm.Multiply(Transpose.No, Transpose.Yes, count, classes, dimension, 1f, features, weights, 0f, logits);
            for (var n = 0; n < count; n++)
                Softmax.Row(logits.AsSpan(n * classes, classes), probabilities.Slice((start + n) * classes, classes));
        }
    }

    internal void CheckFits(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != Features.Inputs || data.ClassCount != ClassCount)
        {
            throw new ArgumentException(
                $"The data ({data.FeatureCount} features, {data.ClassCount} classes) does not fit the model ({Features.Inputs} inputs, {ClassCount} classes).",
                nameof(data));
        }
    }
}
