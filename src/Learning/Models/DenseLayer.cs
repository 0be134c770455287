using System.Numerics.Tensors;
using Lethe.Learning.Blas;
using Lethe.Learning.Kernels;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Models;

/// <summary>
/// A fully connected layer <c>y = act(x W^T + b)</c> with W stored [outputs, inputs] as PyTorch does,
/// so both the forward product and the weight gradient are well-shaped GEMMs. The element-wise work
/// of each pass runs in the product's epilogue, on the block of the result the same thread just computed.
/// </summary>
/// <remarks>
/// The forward product and the weight gradient are both cut by output neurons (rows of W) at the
/// same boundaries, so with the compute pool's part affinity one thread reads, differentiates and
/// updates the same rows of W step after step; when two cores have read a row, the one updating it
/// must first take the line from the other, which made the optimiser step several times slower.
/// </remarks>
public sealed class DenseLayer
{
    internal DenseLayer(int inputs, int outputs, bool relu, TensorSlot weight, TensorSlot bias)
    {
        Inputs = inputs;
        Outputs = outputs;
        Relu = relu;
        Weight = weight;
        Bias = bias;
    }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Output width.</summary>
    public int Outputs { get; }

    /// <summary>Whether a ReLU follows the affine map.</summary>
    public bool Relu { get; }

    /// <summary>Where W lives in the parameter buffer.</summary>
    public TensorSlot Weight { get; }

    /// <summary>Where b lives in the parameter buffer; it directly follows W.</summary>
    public TensorSlot Bias { get; }

    /// <summary>Forward pass of a batch: <paramref name="output"/> = act(input W^T + b).</summary>
    public void Forward(float[] parameters, float[] input, float[] output, int batch)
    {
        Gemm.Multiply(Transpose.No, Transpose.Yes, batch, Outputs, Inputs, 1f, input, Weight.Of(parameters), 0f, output,
            (rowStart, rowEnd, columnStart, columnEnd) =>
            {
                ReadOnlySpan<float> bias = parameters.AsSpan(Bias.Offset + columnStart, columnEnd - columnStart);
                for (var row = rowStart; row < rowEnd; row++)
                {
                    var values = output.AsSpan((row * Outputs) + columnStart, columnEnd - columnStart);
                    if (Relu) ElementWise.AddRelu(values, bias);
                    else TensorPrimitives.Add(values, bias, values);
                }
            },
            GemmSplit.Columns);
    }

    /// <summary>
    /// Gradients of W and b from the output deltas, written over their place in <paramref name="gradients"/>:
    /// <c>dW = D^T X</c>, <c>db = column sums of D</c>. With an <paramref name="optimiser"/> whose step has
    /// begun, each block of rows of W (and its biases) is updated as soon as its gradient is complete.
    /// </summary>
    public void WeightGradients(float[] input, float[] delta, int batch, float[] gradients, float[] parameters, IOptimiser? optimiser = null)
    {
        Gemm.Multiply(Transpose.Yes, Transpose.No, Outputs, Inputs, batch, 1f, delta, input, 0f, Weight.Of(gradients),
            (rowStart, rowEnd, columnStart, columnEnd) =>
            {
                if (columnStart == 0)
                    ElementWise.ColumnSums(delta.AsSpan(rowStart), batch, Outputs, gradients.AsSpan(Bias.Offset + rowStart, rowEnd - rowStart));
                if (optimiser is null) return;
                if (columnStart == 0 && columnEnd == Inputs)
                {
                    optimiser.Apply(parameters, gradients, Weight.Offset + (rowStart * Inputs), (rowEnd - rowStart) * Inputs);
                }
                else
                {
                    for (var row = rowStart; row < rowEnd; row++)
                        optimiser.Apply(parameters, gradients, Weight.Offset + (row * Inputs) + columnStart, columnEnd - columnStart);
                }

                if (columnStart == 0) optimiser.Apply(parameters, gradients, Bias.Offset + rowStart, rowEnd - rowStart);
            });
    }

    /// <summary>
    /// Deltas of this layer's input: <c>D W</c>, masked by the derivative of the previous layer's ReLU
    /// (read off its output, which is positive exactly where its pre-activation was).
    /// </summary>
    public void InputDelta(float[] parameters, float[] delta, float[] input, bool inputFromRelu, float[] inputDelta, int batch)
    {
        Gemm.Multiply(Transpose.No, Transpose.No, batch, Inputs, Outputs, 1f, delta, Weight.Of(parameters), 0f, inputDelta,
            inputFromRelu
                ? (rowStart, rowEnd, columnStart, columnEnd) =>
                {
                    for (var row = rowStart; row < rowEnd; row++)
                    {
                        var offset = (row * Inputs) + columnStart;
                        ElementWise.MaskByPositive(inputDelta.AsSpan(offset, columnEnd - columnStart), input.AsSpan(offset, columnEnd - columnStart));
                    }
                }
                : null);
    }
}
