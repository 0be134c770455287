using Lethe.Learning.Checkpoints;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;
using Lethe.Learning.Tests;
using Lethe.Learning.Training;

namespace Lethe.Learning.Torch.Tests;

/// <summary>The same small training run on either backend, ending in a checkpoint with the optimiser's state.</summary>
internal static class Backends
{
    public const long RunSeed = 23;

    public static TrainingOptions Recipe(string optimiser, int epochs = 1) => optimiser == "sgd"
        ? new TrainingOptions { Optimiser = "sgd", LearningRate = 0.05f, Momentum = 0.9f, BatchSize = 64, Epochs = epochs }
        : new TrainingOptions { Optimiser = "adam", LearningRate = 1e-3f, BatchSize = 64, Epochs = epochs };

    public static int[] FirstRecords(int count) => Enumerable.Range(0, count).ToArray();

    /// <summary>Trains on the OpenBLAS backend from <paramref name="start"/> (fresh weights from the run seed when null).</summary>
    public static byte[] TrainOnBlas(TrainingOptions options, int[] records, byte[]? start = null, int slice = 0)
    {
        var (model, optimiser) = StartOnBlas(options, start);
        Trainer.Train(model, optimiser, TestData.MnistTrain, records, options, new TrainingSeed(RunSeed, 0, slice));
        return ModelCheckpoint.Save(model, optimiser);
    }

    /// <summary>Trains on the torch backend from <paramref name="start"/> (fresh weights from the run seed when null).</summary>
    public static byte[] TrainOnTorch(TrainingOptions options, int[] records, byte[]? start = null, int slice = 0)
    {
        var (model, state) = start is null
            ? (TorchMlp.FromMlp(Mlp.Create(Mlp.DefaultSizes, RunSeed, 0), TorchCpu.Device), null)
            : TorchCheckpoint.Load(start, TorchCpu.Device);
        using var owned = model;
        using var optimiser = TorchOptimiser.Create(model, options);
        if (state is not null) optimiser.LoadState(state);
        TorchTrainer.Train(model, optimiser, TestData.MnistTrain, records, options, new TrainingSeed(RunSeed, 0, slice));
        return TorchCheckpoint.Save(model, optimiser);
    }

    /// <summary>The model a checkpoint holds, read by Lethe's own loader.</summary>
    public static Mlp Model(byte[] checkpoint) => ModelCheckpoint.Load(checkpoint).Model;

    /// <summary>Largest absolute difference between two equally long buffers.</summary>
    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var largest = 0f;
        for (var i = 0; i < a.Length; i++) largest = MathF.Max(largest, MathF.Abs(a[i] - b[i]));
        return largest;
    }

    /// <summary>Class probabilities of every row of <paramref name="data"/>.</summary>
    public static float[] Probabilities(IClassifier classifier, Dataset data)
    {
        var probabilities = new float[data.Count * classifier.ClassCount];
        classifier.Probabilities(data, data.AllIndices(), probabilities);
        return probabilities;
    }

    private static (Mlp Model, IOptimiser Optimiser) StartOnBlas(TrainingOptions options, byte[]? start)
    {
        if (start is null)
        {
            var fresh = Mlp.Create(Mlp.DefaultSizes, RunSeed, 0);
            return (fresh, options.CreateOptimiser(fresh.Parameters.Length));
        }

        var (model, state, _) = ModelCheckpoint.Load(start);
        var optimiser = options.CreateOptimiser(model.Parameters.Length);
        optimiser.LoadState(state!);
        return (model, optimiser);
    }
}
