using System.Numerics.Tensors;
using Lethe.Learning.Data;
using Lethe.Learning.Losses;
using Lethe.Learning.Models;

namespace Lethe.Learning.Curvature;

/// <summary>The gradient of an <see cref="Mlp"/>'s cross-entropy summed over a set of rows, computed a batch at a time.</summary>
internal static class LossGradient
{
    /// <summary>Σ over <paramref name="rows"/> of each row's cross-entropy gradient, laid out like the model's parameters.</summary>
    public static float[] Sum(Mlp model, Dataset data, int[] rows, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var sum = new float[model.Parameters.Length];
        if (rows.Length == 0) return sum;
        var workspace = new MlpWorkspace(model, Math.Min(batchSize, rows.Length));
        var batchGradient = new float[sum.Length];
        for (var start = 0; start < rows.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = Math.Min(batchSize, rows.Length - start);
            data.Gather(rows.AsMemory(start, batch), workspace.Input, workspace.Labels);
            workspace.Forward(batch);
            workspace.ApplyLoss(CrossEntropyLoss.Instance, batch, 1f);
            workspace.Backward(batch, batchGradient);
            TensorPrimitives.Add(sum, batchGradient, sum);
        }

        return sum;
    }
}
