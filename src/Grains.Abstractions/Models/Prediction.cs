namespace Lethe.Grains;

/// <summary>What to predict: rows of the dataset's test split, or images given as pixel bytes.</summary>
/// <param name="TestIndices">Rows of the test split.</param>
/// <param name="Pixels">Images, each as many bytes (0-255) as the dataset has features (784 for 28x28).</param>
[GenerateSerializer, Immutable, Alias("lethe.prediction-request")]
public sealed record PredictionRequest(IReadOnlyList<int>? TestIndices, IReadOnlyList<byte[]>? Pixels);

/// <summary>The ensemble's predictions, one row per input.</summary>
/// <param name="Classes">The number of classes.</param>
/// <param name="Probabilities">Rows x classes, aggregated over the shards that serve a model.</param>
/// <param name="Predictions">The most probable class of each row.</param>
/// <param name="ShardVersions">The version of each shard that answered (shard index to version).</param>
[GenerateSerializer, Immutable, Alias("lethe.prediction-result")]
public sealed record PredictionResult(int Classes, float[] Probabilities, int[] Predictions, IReadOnlyDictionary<int, long> ShardVersions);
