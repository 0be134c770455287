using Lethe.Learning.Data;
using Lethe.Learning.Losses;

namespace Lethe.Learning.Models;

/// <summary>Softmax predictions of an <see cref="Mlp"/>, computed in chunks.</summary>
public sealed class MlpClassifier(Mlp model) : IClassifier
{
    private const int Chunk = 1024;

    /// <summary>The model predicting.</summary>
    public Mlp Model { get; } = model;

    /// <inheritdoc />
    public int ClassCount => Model.OutputSize;

    /// <inheritdoc />
    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities)
    {
        var classes = ClassCount;
        if (probabilities.Length < indices.Length * classes) throw new ArgumentException("Probability buffer too small.", nameof(probabilities));
        if (indices.IsEmpty) return;
        var workspace = new MlpWorkspace(Model, Math.Min(Chunk, indices.Length));
        for (var start = 0; start < indices.Length; start += Chunk)
        {
            var batch = Math.Min(Chunk, indices.Length - start);
            data.Gather(indices.Slice(start, batch).ToArray(), workspace.Input, workspace.Labels);
            var logits = workspace.Forward(batch);
            for (var n = 0; n < batch; n++)
                Softmax.Row(logits.Slice(n * classes, classes), probabilities.Slice((start + n) * classes, classes));
        }
    }
}
