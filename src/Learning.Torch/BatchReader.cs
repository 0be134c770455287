using Lethe.Learning.Data;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// Gathers rows of a <see cref="Dataset"/>, normalised as Lethe's backend reads them, into one
/// tensor on a device: an epoch's rows in their shuffled order at once, so each batch is a slice
/// of it and no step waits on the host.
/// </summary>
internal sealed class BatchReader(Dataset data, Device device)
{
    private float[] features = [];
    private int[] labels = [];

    /// <summary>The rows' features (rows x features, float32) and labels (int64) on the device, in the given order.</summary>
    public (Tensor Features, Tensor Labels) Read(ReadOnlyMemory<int> rows)
    {
        if (labels.Length < rows.Length)
        {
            features = new float[rows.Length * data.FeatureCount];
            labels = new int[rows.Length];
        }

        data.Gather(rows, features, labels);
        var input = TorchTensors.From(features.AsSpan(0, rows.Length * data.FeatureCount), [rows.Length, data.FeatureCount], device);
        using var classes = tensor(labels.AsSpan(0, rows.Length).ToArray(), [rows.Length], ScalarType.Int32);
        return (input, classes.to(ScalarType.Int64, device));
    }
}
