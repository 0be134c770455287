using Lethe.Client;
using Lethe.Grains;
using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Silo.Demo;

/// <summary>A model served by the cluster, as a classifier the audits can run on: each row is sent as its pixels.</summary>
internal sealed class ClusterClassifier(ILetheClient client, ModelId model, int classes) : IClassifier
{
    private const int RowsPerRequest = 5_000;

    public int ClassCount => classes;

    public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities)
    {
        for (var start = 0; start < indices.Length; start += RowsPerRequest)
        {
            var rows = indices.Slice(start, Math.Min(RowsPerRequest, indices.Length - start));
            var pixels = new byte[rows.Length][];
            for (var i = 0; i < rows.Length; i++) pixels[i] = data.Row(rows[i]).ToArray();
            var result = client.PredictAsync(model, new PredictionRequest(null, pixels)).GetAwaiter().GetResult();
            result.Probabilities.CopyTo(probabilities[(start * classes)..]);
        }
    }
}
