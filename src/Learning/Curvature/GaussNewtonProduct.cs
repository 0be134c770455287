using System.Numerics.Tensors;
using Lethe.Learning.Blas;
using Lethe.Learning.Data;
using Lethe.Learning.Kernels;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Curvature;

/// <summary>
/// Products with the damped Gauss-Newton matrix of an <see cref="Mlp"/>'s mean cross-entropy over a fixed
/// set of rows: <c>(G + λI) v</c> with <c>G = (1/N) Σ_n J_nᵀ (diag p_n − p_n p_nᵀ) J_n</c>, J_n the Jacobian of
/// row n's logits in the parameters. For softmax cross-entropy G is also the true Fisher.
/// </summary>
/// <remarks>
/// The rows are run forward once, in chunks of one <see cref="MlpWorkspace"/> each. A product then
/// takes, per chunk, the directional derivative of every layer's pre-activation (<c>J v</c>: two GEMMs a
/// layer, <c>R_l = (R_{l−1} W_lᵀ + a_{l−1} V_lᵀ + v_b) ∘ relu′</c>), the output curvature applied row by row,
/// and the workspace's ordinary backward pass for <c>Jᵀ u</c>. G is positive semi-definite, so with
/// λ &gt; 0 the sum is positive definite, as conjugate gradient needs.
/// </remarks>
internal sealed class GaussNewtonProduct
{
    private const int RowGrain = 16;
    private const int ElementGrain = 4096;

    private readonly Mlp model;
    private readonly Chunk[] chunks;
    private readonly float[] chunkResult;
    private readonly int count;

    /// <summary>Runs <paramref name="rows"/> of <paramref name="data"/> forward through <paramref name="model"/>, in chunks of at most <paramref name="chunkSize"/>.</summary>
    public GaussNewtonProduct(Mlp model, Dataset data, int[] rows, int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        if (rows.Length == 0) throw new ArgumentException("The curvature needs at least one row.", nameof(rows));
        this.model = model;
        count = rows.Length;
        chunkResult = new float[model.Parameters.Length];
        chunks = new Chunk[(rows.Length + chunkSize - 1) / chunkSize];
        for (var c = 0; c < chunks.Length; c++)
        {
            var start = c * chunkSize;
            chunks[c] = new Chunk(model, data, rows.AsMemory(start, Math.Min(chunkSize, rows.Length - start)));
        }
    }

    /// <summary>Rows the curvature is averaged over.</summary>
    public int Count => count;

    /// <summary>Writes <c>(G + damping · I) vector</c> over <paramref name="result"/>.</summary>
    public void Multiply(float[] vector, float[] result, float damping)
    {
        if (vector.Length != model.Parameters.Length || result.Length != vector.Length)
            throw new ArgumentException("Vectors must be laid out like the model's parameters.", nameof(vector));
        TensorPrimitives.Multiply(vector, damping, result);
        foreach (var chunk in chunks)
        {
            chunk.Multiply(model, vector, chunkResult, 1f / count);
            TensorPrimitives.Add(result, chunkResult, result);
        }
    }

    /// <summary>One chunk of rows: its forward pass, kept, and buffers for the directional derivatives.</summary>
    private sealed class Chunk
    {
        private readonly MlpWorkspace workspace;
        private readonly float[][] directional;
        private readonly float[] probabilities;
        private readonly int rows;

        public Chunk(Mlp model, Dataset data, ReadOnlyMemory<int> indices)
        {
            rows = indices.Length;
            workspace = new MlpWorkspace(model, rows);
            data.Gather(indices, workspace.Input, workspace.Labels);
            var logits = workspace.Forward(rows);
            var classes = model.OutputSize;
            probabilities = new float[rows * classes];
            for (var n = 0; n < rows; n++)
                Softmax.Row(logits.Slice(n * classes, classes), probabilities.AsSpan(n * classes, classes));
            directional = model.Layers.Select(layer => new float[rows * layer.Outputs]).ToArray();
        }

        /// <summary><c>result = scale · Σ_rows J_nᵀ (diag p_n − p_n p_nᵀ) J_n v</c>.</summary>
        public void Multiply(Mlp model, float[] vector, float[] result, float scale)
        {
            for (var i = 0; i < model.Layers.Count; i++) Directional(model, i, vector);
            ApplyOutputCurvature(model.OutputSize, scale);
            workspace.Backward(rows, result);
        }

        /// <summary><c>R_i = (a_{i} V_iᵀ + v_b,i + R_{i−1} W_iᵀ)</c>, masked by the layer's ReLU.</summary>
        private void Directional(Mlp model, int i, float[] vector)
        {
            var layer = model.Layers[i];
            var output = directional[i];
            var outputs = layer.Outputs;
            Gemm.Multiply(Transpose.No, Transpose.Yes, rows, outputs, layer.Inputs, 1f, workspace.Activation(i), layer.Weight.Of(vector), 0f, output,
                (rowStart, rowEnd, columnStart, columnEnd) =>
                {
                    ReadOnlySpan<float> bias = layer.Bias.Of(vector)[columnStart..columnEnd];
                    for (var row = rowStart; row < rowEnd; row++)
                    {
                        var values = output.AsSpan((row * outputs) + columnStart, columnEnd - columnStart);
                        TensorPrimitives.Add(values, bias, values);
                    }
                });
            if (i > 0)
                Gemm.Multiply(Transpose.No, Transpose.Yes, rows, outputs, layer.Inputs, 1f, directional[i - 1], layer.Weight.Of(model.Parameters), 1f, output);
            if (!layer.Relu) return;
            var activation = workspace.Activation(i + 1);
            ComputePool.For(rows * outputs, ElementGrain, (start, end) =>
                ElementWise.MaskByPositive(output.AsSpan(start, end - start), activation.AsSpan(start, end - start)));
        }

        /// <summary>Output deltas <c>u_n = scale · (p_n ∘ r_n − p_n (p_n · r_n))</c> for r_n row n's logit derivative.</summary>
        private void ApplyOutputCurvature(int classes, float scale)
        {
            var logitDirections = directional[^1];
            var delta = workspace.OutputDelta;
            ComputePool.For(rows, RowGrain, (start, end) =>
            {
                for (var n = start; n < end; n++)
                {
                    var p = probabilities.AsSpan(n * classes, classes);
                    var r = logitDirections.AsSpan(n * classes, classes);
                    var u = delta.AsSpan(n * classes, classes);
                    var mean = TensorPrimitives.Dot(p, r);
                    TensorPrimitives.Subtract(r, mean, u);
                    TensorPrimitives.Multiply(u, p, u);
                    TensorPrimitives.Multiply(u, scale, u);
                }
            });
        }
    }
}
