using Lethe.Learning.Data;

namespace Lethe.Silo.Experiments;

/// <summary>MNIST's training and test splits, loaded once for an experiment.</summary>
internal sealed record MnistData(Dataset Train, Dataset Test)
{
    public static MnistData Load(string? dataPath) =>
        new(ImageDatasets.Load("mnist", Split.Train, dataPath), ImageDatasets.Load("mnist", Split.Test, dataPath));
}
