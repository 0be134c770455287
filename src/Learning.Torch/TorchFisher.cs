using Lethe.Learning.Data;
using Lethe.Learning.Fisher;
using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>
/// <see cref="FisherDiagonal"/> on libtorch: per parameter, the mean over examples of the squared
/// per-example gradient of the log-likelihood, for the same kinds of Fisher. Per layer and batch,
/// <c>Σ_n (d_n a_nᵀ)² = (D∘D)ᵀ (A∘A)</c>; the true Fisher's expectation over classes is taken by
/// propagating the weighted deltas <c>sqrt(p_c) (p - e_c)</c> of every class at once and summing their squares.
/// </summary>
internal static class TorchFisher
{
    /// <summary>The Fisher diagonal of <paramref name="model"/> averaged over every row of <paramref name="rows"/>, laid out as Lethe's parameters.</summary>
    public static float[] Compute(TorchMlp model, Dataset data, int[] rows, FisherKind kind, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (rows.Length == 0) throw new ArgumentException("The Fisher needs at least one example.", nameof(rows));
        if (data.FeatureCount != model.Sizes[0] || data.ClassCount != model.Sizes[^1])
            throw new ArgumentException($"The data ({data.FeatureCount} features, {data.ClassCount} classes) does not fit the model ({model.Sizes[0]} inputs, {model.Sizes[^1]} outputs).", nameof(data));
        foreach (var row in rows)
        {
            if ((uint)row >= (uint)data.Count) throw new ArgumentException($"Index {row} is not a row of the data (0..{data.Count - 1}).", nameof(rows));
        }

        var layers = model.Layers;
        var sums = layers.Select(l => (Weight: zeros_like(l.Weight), Bias: zeros_like(l.Bias))).ToArray();
        try
        {
            var reader = new BatchReader(data, model.Device);
            using (no_grad())
            {
                for (var start = 0; start < rows.Length; start += batchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var (input, labels) = reader.Read(rows.AsMemory(start, Math.Min(batchSize, rows.Length - start)));
                    Add(layers, input, labels, kind, sums);
                }
            }

            var mean = new float[model.Slots.Sum(s => s.Slot.Length)];
            for (var i = 0; i < layers.Count; i++)
            {
                TorchTensors.CopyTo(sums[i].Weight.div_(rows.Length), model.Slots[2 * i].Slot.Of(mean));
                TorchTensors.CopyTo(sums[i].Bias.div_(rows.Length), model.Slots[(2 * i) + 1].Slot.Of(mean));
            }

            return mean;
        }
        finally
        {
            foreach (var (weight, bias) in sums)
            {
                weight.Dispose();
                bias.Dispose();
            }
        }
    }

    private static void Add(IReadOnlyList<(TorchSharp.Modules.Parameter Weight, TorchSharp.Modules.Parameter Bias)> layers, Tensor input, Tensor labels, FisherKind kind, (Tensor Weight, Tensor Bias)[] sums)
    {
        // Inputs of every layer; the last entry is the logits.
        var activations = new List<Tensor> { input };
        for (var i = 0; i < layers.Count; i++)
        {
            var z = nn.functional.linear(activations[^1], layers[i].Weight, layers[i].Bias);
            activations.Add(i < layers.Count - 1 ? nn.functional.relu(z) : z);
        }

        var count = layers.Count;
        var probabilities = nn.functional.softmax(activations[^1], 1);
        var classes = probabilities.shape[1];
        var trueEnd = kind switch
        {
            FisherKind.Empirical => 0,
            FisherKind.True => count,
            _ => count - 1,
        };
        var squares = new Tensor?[count];

        // Layers [trueEnd, L): the observed label's gradient, p - e_y.
        if (trueEnd < count)
        {
            var delta = probabilities - nn.functional.one_hot(labels, classes).to(ScalarType.Float32);
            for (var i = count - 1; i >= trueEnd; i--)
            {
                squares[i] = delta.square();
                if (i > trueEnd) delta = Propagate(delta, layers[i].Weight, activations[i]);
            }
        }

        // Layers [0, trueEnd): the expectation over the model's classes, every class's weighted deltas at once (classes x rows x outputs).
        if (trueEnd > 0)
        {
            var weights = probabilities.sqrt().t().unsqueeze(2);
            var delta = weights * (probabilities.unsqueeze(0) - eye(classes, device: probabilities.device).unsqueeze(1));
            for (var i = count - 1; i >= 0; i--)
            {
                if (i < trueEnd) squares[i] = delta.square().sum(0L);
                if (i > 0) delta = Propagate(delta, layers[i].Weight, activations[i]);
            }
        }

        for (var i = 0; i < count; i++)
        {
            sums[i].Weight.add_(squares[i]!.t().matmul(activations[i].square()));
            sums[i].Bias.add_(squares[i]!.sum(0L));
        }
    }

    // The deltas of a layer's input from those of its output, masked where the ReLU before it was off.
    private static Tensor Propagate(Tensor delta, Tensor weight, Tensor input) => delta.matmul(weight) * input.gt(0).to(ScalarType.Float32);
}
