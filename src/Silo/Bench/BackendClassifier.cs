using Lethe.Learning.Compute;
using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Silo.Bench;

/// <summary>A model's predictions computed by a compute backend, for evaluation.</summary>
internal sealed class BackendClassifier(IComputeBackend backend, Mlp model) : IClassifier
{
    public int ClassCount => model.OutputSize;

    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities) =>
        backend.Probabilities(model, data, indices, probabilities);
}
