using System.Numerics.Tensors;
using Lethe.Learning.Blas;
using Lethe.Learning.Curvature;
using Lethe.Learning.Losses;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Certified;

/// <summary>
/// The perturbed, L2-regularised softmax-regression objective of Guo et al. over a feature matrix Φ:
/// <c>J(W) = Σ_i ℓ(W φ_i, y_i) + (λ n / 2) ‖W‖² + ⟨B, W⟩</c>, ℓ the cross-entropy, W and B classes x features,
/// n the rows. Its gradient is <c>(P − Y)ᵀ Φ + λ n W + B</c>; its Hessian applied to V is
/// <c>Uᵀ Φ + λ n V</c> with <c>u_i = p_i ∘ r_i − p_i (p_i · r_i)</c>, <c>r_i = V φ_i</c>. Each is two GEMMs over Φ.
/// </summary>
internal sealed class SoftmaxObjective
{
    private const int RowGrain = 64;
    private const int LossParts = 4;
    private readonly FeatureMatrix features;
    private readonly float[] noise;
    private readonly float[] probabilities;
    private readonly float[] rowScratch;

    /// <summary>An objective over <paramref name="features"/> with regularisation λ and the noise B (classes x features).</summary>
    public SoftmaxObjective(FeatureMatrix features, int classes, double lambda, float[] noise)
    {
        if (noise.Length != classes * features.Dimension) throw new ArgumentException("The noise must be classes x features.", nameof(noise));
        this.features = features;
        this.noise = noise;
        Classes = classes;
        Regulariser = (float)(lambda * features.Rows);
        probabilities = new float[features.Rows * classes];
        rowScratch = new float[features.Rows * classes];
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>λ n, the weight of ‖W‖² / 2.</summary>
    public float Regulariser { get; }

    /// <summary>Parameters of W.</summary>
    public int ParameterCount => Classes * features.Dimension;

    /// <summary>
    /// J(W); also stores the softmax of every row at W, which <see cref="Gradient"/> and
    /// <see cref="HessianProduct"/> use: call it first at the point they are wanted.
    /// </summary>
    public double Evaluate(float[] weights)
    {
        var n = features.Rows;
        var classes = Classes;
        Gemm.Multiply(Transpose.No, Transpose.Yes, n, classes, features.Dimension, 1f, features.Values, weights, 0f, rowScratch);
        // Partial sums over a cut that depends on the row count alone, so J is the same on any number of threads.
        var parts = Math.Min(LossParts, Math.Max(1, n / RowGrain));
        var losses = new double[parts];
        ComputePool.Run(parts, part =>
        {
            double sum = 0;
            for (var i = ComputePool.Boundary(n, RowGrain, parts, part); i < ComputePool.Boundary(n, RowGrain, parts, part + 1); i++)
            {
                var logits = rowScratch.AsSpan(i * classes, classes);
                sum += Softmax.Row(logits, probabilities.AsSpan(i * classes, classes)) - logits[features.Labels[i]];
            }

            losses[part] = sum;
        });
        var weightNorm = ConjugateGradient.Dot(weights, weights);
        return losses.Sum() + (0.5 * Regulariser * weightNorm) + ConjugateGradient.Dot(noise, weights);
    }

    /// <summary>Writes ∇J at the point last evaluated (<paramref name="weights"/> must be that point) over <paramref name="gradient"/>.</summary>
    public void Gradient(float[] weights, float[] gradient)
    {
        var classes = Classes;
        probabilities.CopyTo(rowScratch, 0);
        for (var i = 0; i < features.Rows; i++) rowScratch[(i * classes) + features.Labels[i]] -= 1f;
        noise.CopyTo(gradient, 0);
        TensorPrimitives.MultiplyAdd(weights, Regulariser, gradient, gradient);
        Gemm.Multiply(Transpose.Yes, Transpose.No, classes, features.Dimension, features.Rows, 1f, rowScratch, features.Values, 1f, gradient);
    }

    /// <summary>Writes <c>∇²J V</c> at the point last evaluated over <paramref name="result"/>.</summary>
    public void HessianProduct(float[] direction, float[] result)
    {
        var n = features.Rows;
        var classes = Classes;
        Gemm.Multiply(Transpose.No, Transpose.Yes, n, classes, features.Dimension, 1f, features.Values, direction, 0f, rowScratch);
        ComputePool.For(n, RowGrain, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                var p = probabilities.AsSpan(i * classes, classes);
                var r = rowScratch.AsSpan(i * classes, classes);
                TensorPrimitives.Subtract(r, TensorPrimitives.Dot(p, r), r);
                TensorPrimitives.Multiply(r, p, r);
            }
        });
        TensorPrimitives.Multiply(direction, Regulariser, result);
        Gemm.Multiply(Transpose.Yes, Transpose.No, classes, features.Dimension, n, 1f, rowScratch, features.Values, 1f, result);
    }

    /// <summary>The directional logits <c>r_i = V φ_i</c> of every row (rows x classes), for the residual bound.</summary>
    public float[] Logits(float[] direction)
    {
        var result = new float[features.Rows * Classes];
        Gemm.Multiply(Transpose.No, Transpose.Yes, features.Rows, Classes, features.Dimension, 1f, features.Values, direction, 0f, result);
        return result;
    }
}
