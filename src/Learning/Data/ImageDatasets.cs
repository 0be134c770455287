namespace Lethe.Learning.Data;

/// <summary>Which half of a dataset to read.</summary>
public enum Split
{
    /// <summary>The training split (60,000 images for MNIST).</summary>
    Train,

    /// <summary>The test split (10,000 images for MNIST).</summary>
    Test,
}

/// <summary>Loads MNIST-style image datasets from their IDX files.</summary>
public static class ImageDatasets
{
    /// <summary>The datasets Lethe knows, by folder name.</summary>
    public static readonly IReadOnlyDictionary<string, Normalisation> Known = new Dictionary<string, Normalisation>
    {
        ["mnist"] = Normalisation.Mnist,
        ["fashion-mnist"] = Normalisation.FashionMnist,
    };

    /// <summary>Loads one split of a known dataset, locating its folder with <see cref="DataRoot"/>.</summary>
    public static Dataset Load(string name, Split split, string? dataPath = null)
    {
        if (!Known.TryGetValue(name, out var normalisation))
            throw new ArgumentException($"Unknown dataset '{name}'; known: {string.Join(", ", Known.Keys)}.", nameof(name));
        return LoadFolder(DataRoot.Resolve(name, dataPath), split, normalisation);
    }

    /// <summary>Loads one split from a folder holding <c>train-*</c> and <c>t10k-*</c> IDX files (.gz or plain).</summary>
    public static Dataset LoadFolder(string folder, Split split, Normalisation normalisation)
    {
        var prefix = split == Split.Train ? "train" : "t10k";
        var images = IdxFile.Read(Locate(folder, $"{prefix}-images-idx3-ubyte"));
        var labels = IdxFile.Read(Locate(folder, $"{prefix}-labels-idx1-ubyte"));
        return FromIdx(images, labels, normalisation, folder);
    }

    /// <summary>Pairs an images file (N x rows x cols) with a labels file (N).</summary>
    public static Dataset FromIdx(IdxFile images, IdxFile labels, Normalisation normalisation, string source)
    {
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"{source}: images file has {images.Dimensions.Length} dimensions, expected 3 (count, rows, cols).");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{source}: labels file has {labels.Dimensions.Length} dimensions, expected 1.");
        if (images.Dimensions[0] != labels.Dimensions[0])
            throw new InvalidDataException($"{source}: {images.Dimensions[0]} images but {labels.Dimensions[0]} labels.");
        if (images.Dimensions[0] == 0)
            throw new InvalidDataException($"{source}: the images file holds no images.");
        if (images.Dimensions[1] == 0 || images.Dimensions[2] == 0)
            throw new InvalidDataException($"{source}: the images have {images.Dimensions[1]}x{images.Dimensions[2]} pixels.");

        var labelValues = new int[labels.Data.Length];
        var classCount = 0;
        for (var i = 0; i < labelValues.Length; i++)
        {
            labelValues[i] = labels.Data[i];
            classCount = Math.Max(classCount, labelValues[i] + 1);
        }

        return new Dataset(images.Data, labelValues, images.Dimensions[1] * images.Dimensions[2], Math.Max(classCount, 10), normalisation);
    }

    private static string Locate(string folder, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }

        throw new FileNotFoundException($"Neither {stem}.gz nor {stem} is in {folder}.", Path.Combine(folder, stem));
    }
}
