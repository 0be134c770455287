using Lethe.Learning.Data;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Training;

/// <summary>Gradients of a loss on one batch at a time: gather, forward, loss, backward.</summary>
public sealed class Backpropagation
{
    /// <summary>Allocates buffers for batches of up to <paramref name="capacity"/> rows.</summary>
    public Backpropagation(Mlp model, int capacity)
    {
        Workspace = new MlpWorkspace(model, capacity);
        Gradients = new float[model.Parameters.Length];
    }

    /// <summary>The model.</summary>
    public Mlp Model => Workspace.Model;

    /// <summary>Activations and deltas of the last batch.</summary>
    public MlpWorkspace Workspace { get; }

    /// <summary>Gradients of the last batch's mean loss, laid out as the model's parameters.</summary>
    public float[] Gradients { get; }

    /// <summary>
    /// Computes the gradient of the batch's mean loss (times <paramref name="sign"/>: -1 ascends) into
    /// <see cref="Gradients"/> and returns the mean loss. With an <paramref name="optimiser"/>, also
    /// takes one step of it, layer by layer as the gradients become ready.
    /// </summary>
    public double Run(Dataset data, ReadOnlyMemory<int> batchIndices, ILoss loss, float sign = 1f, IOptimiser? optimiser = null)
    {
        var batch = batchIndices.Length;
        data.Gather(batchIndices, Workspace.Input, Workspace.Labels);
        Workspace.Forward(batch);
        var total = Workspace.ApplyLoss(loss, batch, sign / batch);
        optimiser?.BeginStep();
        Workspace.Backward(batch, Gradients, optimiser);
        return total / batch;
    }
}
