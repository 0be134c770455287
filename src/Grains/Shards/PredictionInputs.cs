using Lethe.Learning.Data;

namespace Lethe.Grains.Shards;

/// <summary>Turns a prediction request into rows of a dataset: rows of the test split, or the given images as a small dataset of their own.</summary>
internal static class PredictionInputs
{
    /// <summary>Most rows one request may ask for.</summary>
    public const int MaxRows = 10_000;

    public static (Dataset Data, int[] Rows) Resolve(PredictionRequest request, Dataset test)
    {
        if ((request.TestIndices is null) == (request.Pixels is null))
            throw LetheException.Invalid("inputs", "give exactly one of test_indices and pixels");
        if (request.TestIndices is { } indices)
        {
            Check(indices.Count, "test_indices");
            foreach (var index in indices)
            {
                if ((uint)index >= (uint)test.Count) throw LetheException.Invalid("test_indices", $"{index} is not a row of the test split (0..{test.Count - 1})");
            }

            return (test, [.. indices]);
        }

        var images = request.Pixels!;
        Check(images.Count, "pixels");
        for (var row = 0; row < images.Count; row++)
        {
            if (images[row]?.Length != test.FeatureCount)
                throw LetheException.Invalid("pixels", $"image {row} has {images[row]?.Length ?? 0} values; every image needs {test.FeatureCount}");
        }

        var pixels = images.SelectMany(image => image).ToArray();
        return (new Dataset(pixels, new int[images.Count], test.FeatureCount, test.ClassCount, test.Normalisation), Enumerable.Range(0, images.Count).ToArray());
    }

    private static void Check(int count, string field)
    {
        if (count is 0 or > MaxRows) throw LetheException.Invalid(field, $"give 1 to {MaxRows} rows, not {count}");
    }
}
