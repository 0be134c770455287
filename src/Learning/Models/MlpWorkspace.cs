using Lethe.Learning.Losses;
using Lethe.Learning.Optimisers;
using Lethe.Learning.Threading;

namespace Lethe.Learning.Models;

/// <summary>
/// The activations and deltas of one batch through an <see cref="Mlp"/>, allocated once for a
/// batch capacity and reused by every step.
/// </summary>
public sealed class MlpWorkspace
{
    private const int RowGrain = 16;
    private readonly float[][] activations;
    private readonly float[][] deltas;

    /// <summary>Allocates buffers for batches of up to <paramref name="capacity"/> rows.</summary>
    public MlpWorkspace(Mlp model, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Model = model;
        Capacity = capacity;
        activations = model.Sizes.Select(size => new float[capacity * size]).ToArray();
        deltas = model.Sizes.Select((size, i) => i == 0 ? [] : new float[capacity * size]).ToArray();
        Labels = new int[capacity];
        RowLosses = new float[capacity];
    }

    /// <summary>The model whose parameters the passes use.</summary>
    public Mlp Model { get; }

    /// <summary>Largest batch the buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>The batch's input rows (capacity x inputs); fill before <see cref="Forward"/>.</summary>
    public float[] Input => activations[0];

    /// <summary>The batch's labels, when the loss needs them.</summary>
    public int[] Labels { get; }

    /// <summary>Each row's loss, written by <see cref="ApplyLoss"/>.</summary>
    public float[] RowLosses { get; }

    /// <summary>Activation <paramref name="layer"/>: index 0 is the input, the last index the logits.</summary>
    public float[] Activation(int layer) => activations[layer];

    /// <summary>Loss gradient with respect to activation <paramref name="layer"/>'s pre-activation (index 1 and up).</summary>
    public float[] Delta(int layer) => deltas[layer];

    /// <summary>Gradient of the loss with respect to the logits.</summary>
    public float[] OutputDelta => deltas[^1];

    /// <summary>Runs the batch forward and returns its logits (batch x classes).</summary>
    public Span<float> Forward(int batch)
    {
        CheckBatch(batch);
        var parameters = Model.Parameters;
        for (var i = 0; i < Model.Layers.Count; i++)
            Model.Layers[i].Forward(parameters, activations[i], activations[i + 1], batch);
        return activations[^1].AsSpan(0, batch * Model.OutputSize);
    }

    /// <summary>
    /// Evaluates <paramref name="loss"/> on the logits of the last <see cref="Forward"/>, writing
    /// <see cref="RowLosses"/> and <see cref="OutputDelta"/> (scaled by <paramref name="deltaScale"/>); returns the summed loss.
    /// </summary>
    public double ApplyLoss(ILoss loss, int batch, float deltaScale)
    {
        CheckBatch(batch);
        var classes = Model.OutputSize;
        var logits = activations[^1];
        var outputDelta = deltas[^1];
        ComputePool.For(batch, RowGrain, (start, end) => loss.Evaluate(
            logits.AsSpan(start * classes, (end - start) * classes),
            Labels.AsSpan(start, end - start),
            classes,
            outputDelta.AsSpan(start * classes, (end - start) * classes),
            deltaScale,
            RowLosses.AsSpan(start, end - start)));
        double total = 0;
        for (var n = 0; n < batch; n++) total += RowLosses[n];
        return total;
    }

    /// <summary>Propagates <see cref="OutputDelta"/> back to every hidden layer's delta (not to the input).</summary>
    public void PropagateDeltas(int batch)
    {
        CheckBatch(batch);
        for (var i = Model.Layers.Count - 1; i > 0; i--)
            Model.Layers[i].InputDelta(Model.Parameters, deltas[i + 1], activations[i], Model.Layers[i - 1].Relu, deltas[i], batch);
    }

    /// <summary>
    /// Backward pass: every parameter's gradient, written over <paramref name="gradients"/>. With an
    /// <paramref name="optimiser"/> (whose step has begun), each block of parameters is updated as soon
    /// as its gradients are complete, while they are still in cache; all deltas are computed first, so
    /// no update is seen by the backward pass itself.
    /// </summary>
    public void Backward(int batch, float[] gradients, IOptimiser? optimiser = null)
    {
        if (gradients.Length != Model.Parameters.Length) throw new ArgumentException("Gradient buffer must match the parameter layout.", nameof(gradients));
        PropagateDeltas(batch);
        for (var i = Model.Layers.Count - 1; i >= 0; i--)
            Model.Layers[i].WeightGradients(activations[i], deltas[i + 1], batch, gradients, Model.Parameters, optimiser);
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > Capacity) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Batch must be 1..{Capacity}.");
    }
}
