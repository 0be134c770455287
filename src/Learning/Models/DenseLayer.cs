using System.Numerics.Tensors;
using Lethe.Learning.Blas;
using Lethe.Learning.Kernels;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Models;

/// <summary>
/// A fully connected layer <c>y = act(x W^T + b)</c> with W stored [outputs, inputs] as PyTorch does,
/// so both the forward product and the weight gradient are well-shaped GEMMs.
/// </summary>
public sealed class DenseLayer
{
    private const int RowGrain = 8;
    private const int ElementGrain = 1024;

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

    /// <summary>Where b lives in the parameter buffer.</summary>
    public TensorSlot Bias { get; }

    /// <summary>Forward pass of a batch: <paramref name="output"/> = act(input W^T + b).</summary>
    public void Forward(float[] parameters, float[] input, float[] output, int batch)
    {
        Gemm.Multiply(Transpose.No, Transpose.Yes, batch, Outputs, Inputs, 1f, input, Weight.Of(parameters), 0f, output);
        ComputePool.For(batch, RowGrain, (start, end) =>
        {
            ReadOnlySpan<float> bias = Bias.Of(parameters);
            for (var row = start; row < end; row++)
            {
                var values = output.AsSpan(row * Outputs, Outputs);
                if (Relu) ElementWise.AddRelu(values, bias);
                else TensorPrimitives.Add(values, bias, values);
            }
        });
    }

    /// <summary>Gradients of W and b from the output deltas, written over their place in <paramref name="gradients"/>: <c>dW = D^T X</c>, <c>db = column sums of D</c>.</summary>
    public void WeightGradients(float[] input, float[] delta, int batch, float[] gradients)
    {
        Gemm.Multiply(Transpose.Yes, Transpose.No, Outputs, Inputs, batch, 1f, delta, input, 0f, Weight.Of(gradients));
        ComputePool.For(Outputs, 16, (start, end) =>
            ElementWise.ColumnSums(delta.AsSpan(start), batch, Outputs, gradients.AsSpan(Bias.Offset + start, end - start)));
    }

    /// <summary>
    /// Deltas of this layer's input: <c>D W</c>, masked by the derivative of the previous layer's ReLU
    /// (read off its output, which is positive exactly where its pre-activation was).
    /// </summary>
    public void InputDelta(float[] parameters, float[] delta, float[] input, bool inputFromRelu, float[] inputDelta, int batch)
    {
        Gemm.Multiply(Transpose.No, Transpose.No, batch, Inputs, Outputs, 1f, delta, Weight.Of(parameters), 0f, inputDelta);
        if (!inputFromRelu) return;
        ComputePool.For(batch * Inputs, ElementGrain, (start, end) =>
            ElementWise.MaskByPositive(inputDelta.AsSpan(start, end - start), input.AsSpan(start, end - start)));
    }
}
