using System.Numerics.Tensors;
using Lethe.Learning.Blas;
using Lethe.Learning.Data;
using Lethe.Learning.Kernels;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Fisher;

/// <summary>
/// Sums of squared per-example gradients of an <see cref="Mlp"/>, a batch at a time. For a dense layer
/// with output deltas D and inputs A (one row per example), <c>Σ_n (d_n a_nᵀ)² = (D∘D)ᵀ (A∘A)</c>:
/// one GEMM per layer per batch; the bias's is the column sums of D∘D.
/// </summary>
/// <remarks>
/// For the true Fisher the logit deltas of class c are <c>sqrt(p_c) (p - e_c)</c>: squaring them gives the
/// weight p_c, so summing the squared deltas of every class before the GEMM takes the expectation
/// exactly, and the large first-layer product runs once per batch rather than once per class.
/// </remarks>
internal sealed class FisherAccumulator
{
    private const int RowGrain = 16;
    private const int ElementGrain = 4096;

    private readonly Mlp model;
    private readonly MlpWorkspace workspace;
    private readonly float[][] inputSquares;
    private readonly float[][] deltaSquares;
    private readonly float[] probabilities;
    private readonly float[] biasSums;

    public FisherAccumulator(Mlp model, int capacity)
    {
        this.model = model;
        workspace = new MlpWorkspace(model, capacity);
        inputSquares = model.Layers.Select(layer => new float[capacity * layer.Inputs]).ToArray();
        deltaSquares = model.Layers.Select(layer => new float[capacity * layer.Outputs]).ToArray();
        probabilities = new float[capacity * model.OutputSize];
        biasSums = new float[model.Layers.Max(layer => layer.Outputs)];
        Sums = new float[model.Parameters.Length];
    }

    /// <summary>Σ over the examples added so far of each parameter's squared per-example gradient.</summary>
    public float[] Sums { get; }

    /// <summary>Examples added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds the squared per-example gradients of the rows <paramref name="batchIndices"/>.</summary>
    public void Add(Dataset data, ReadOnlyMemory<int> batchIndices, FisherKind kind)
    {
        var batch = batchIndices.Length;
        data.Gather(batchIndices, workspace.Input, workspace.Labels);
        workspace.Forward(batch);
        for (var i = 0; i < model.Layers.Count; i++)
        {
            Square(workspace.Activation(i), inputSquares[i], batch * model.Layers[i].Inputs);
            Array.Clear(deltaSquares[i], 0, batch * model.Layers[i].Outputs);
        }

        // Layers [0, trueEnd) take the expectation over the model's own classes; [trueEnd, L) the observed label.
        var layers = model.Layers.Count;
        var trueEnd = kind switch
        {
            FisherKind.Empirical => 0,
            FisherKind.True => layers,
            _ => layers - 1,
        };
        if (trueEnd < layers)
        {
            workspace.ApplyLoss(CrossEntropyLoss.Instance, batch, 1f);
            if (trueEnd < layers - 1) workspace.PropagateDeltas(batch);
            AddSquaredDeltas(batch, trueEnd, layers);
        }

        if (trueEnd > 0)
        {
            WriteProbabilities(batch);
            for (var c = 0; c < model.OutputSize; c++)
            {
                WriteWeightedClassDeltas(batch, c);
                workspace.PropagateDeltas(batch);
                AddSquaredDeltas(batch, 0, trueEnd);
            }
        }

        for (var i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            Gemm.Multiply(Transpose.Yes, Transpose.No, layer.Outputs, layer.Inputs, batch, 1f, deltaSquares[i], inputSquares[i], 1f, layer.Weight.Of(Sums));
            var sums = biasSums.AsSpan(0, layer.Outputs);
            ElementWise.ColumnSums(deltaSquares[i], batch, layer.Outputs, sums);
            var bias = layer.Bias.Of(Sums);
            TensorPrimitives.Add(bias, sums, bias);
        }

        Count += batch;
    }

    private static void Square(float[] values, float[] squares, int length) =>
        ComputePool.For(length, ElementGrain, (start, end) =>
        {
            var range = new Range(start, end);
            TensorPrimitives.Multiply(values.AsSpan(range), values.AsSpan(range), squares.AsSpan(range));
        });

    /// <summary>Adds the square of the output deltas of layers [<paramref name="first"/>, <paramref name="end"/>) to their running sums.</summary>
    private void AddSquaredDeltas(int batch, int first, int end)
    {
        for (var i = first; i < end; i++)
        {
            var delta = workspace.Delta(i + 1);
            var squares = deltaSquares[i];
            ComputePool.For(batch * model.Layers[i].Outputs, ElementGrain, (start, end) =>
            {
                var range = new Range(start, end);
                TensorPrimitives.FusedMultiplyAdd(delta.AsSpan(range), delta.AsSpan(range), squares.AsSpan(range), squares.AsSpan(range));
            });
        }
    }

    private void WriteProbabilities(int batch)
    {
        var classes = model.OutputSize;
        var logits = workspace.Activation(model.Layers.Count);
        ComputePool.For(batch, RowGrain, (start, end) =>
        {
            for (var n = start; n < end; n++)
                Softmax.Row(logits.AsSpan(n * classes, classes), probabilities.AsSpan(n * classes, classes));
        });
    }

    /// <summary>Logit deltas <c>sqrt(p_c) (p - e_c)</c>: the gradient of −log p_c, weighted so its square carries p_c.</summary>
    private void WriteWeightedClassDeltas(int batch, int c)
    {
        var classes = model.OutputSize;
        var delta = workspace.OutputDelta;
        ComputePool.For(batch, RowGrain, (start, end) =>
        {
            for (var n = start; n < end; n++)
            {
                var p = probabilities.AsSpan(n * classes, classes);
                var row = delta.AsSpan(n * classes, classes);
                var weight = MathF.Sqrt(p[c]);
                TensorPrimitives.Multiply(p, weight, row);
                row[c] -= weight;
            }
        });
    }
}
