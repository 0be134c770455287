using Lethe.Learning.Data;

namespace Lethe.Learning.Certified;

/// <summary>The features and labels of a set of records, mapped once and kept for the many passes a solve takes.</summary>
internal sealed class FeatureMatrix
{
    private FeatureMatrix(float[] values, int[] labels, int dimension)
    {
        Values = values;
        Labels = labels;
        Dimension = dimension;
    }

    /// <summary>Features, rows x <see cref="Dimension"/>, row-major.</summary>
    public float[] Values { get; }

    /// <summary>Each row's label.</summary>
    public int[] Labels { get; }

    /// <summary>Features per row.</summary>
    public int Dimension { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>Maps the records <paramref name="rows"/> of <paramref name="data"/>.</summary>
    public static FeatureMatrix Create(FeatureMap map, Dataset data, ReadOnlySpan<int> rows)
    {
        var values = new float[(long)rows.Length * map.Dimension];
        map.Map(data, rows, values);
        var labels = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++) labels[i] = data.Labels[rows[i]];
        return new FeatureMatrix(values, labels, map.Dimension);
    }
}
