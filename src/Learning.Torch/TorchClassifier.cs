using Lethe.Learning.Data;
using Lethe.Learning.Models;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>Softmax predictions of a <see cref="TorchMlp"/>, computed in chunks on its device.</summary>
internal sealed class TorchClassifier(TorchMlp model) : IClassifier
{
    private const int Chunk = 1024;

    /// <inheritdoc />
    public int ClassCount => model.Sizes[^1];

    /// <inheritdoc />
    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities)
    {
        var classes = ClassCount;
        if (probabilities.Length < indices.Length * classes) throw new ArgumentException("Probability buffer too small.", nameof(probabilities));
        if (indices.IsEmpty) return;
        model.eval();
        var reader = new BatchReader(data, model.Device);
        using var inference = inference_mode();
        for (var start = 0; start < indices.Length; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var batch = Math.Min(Chunk, indices.Length - start);
            var (input, _) = reader.Read(indices.Slice(start, batch).ToArray());
            var rows = nn.functional.softmax(model.call(input), 1);
            TorchTensors.CopyTo(rows, probabilities.Slice(start * classes, batch * classes));
        }
    }
}
