using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Models;

namespace Lethe.Learning.Tests;

public class EvaluatorTests
{
    /// <summary>Predicts class = first pixel with probability 0.7, spreading the rest evenly.</summary>
    private sealed class FirstPixelClassifier : IClassifier
    {
        public int ClassCount => 3;

        public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> probabilities)
        {
            for (var n = 0; n < indices.Length; n++)
            {
                var row = probabilities.Slice(n * 3, 3);
                row.Fill(0.15f);
                row[data.Row(indices[n])[0]] = 0.7f;
            }
        }
    }

    [Fact]
    public void Accuracy_per_class_accuracy_loss_and_confidence_are_computed_per_example()
    {
        // Rows predict 0, 1, 2, 2 for labels 0, 1, 1, 2.
        var data = new Dataset([0, 1, 2, 2], [0, 1, 1, 2], 1, 3, Normalisation.UnitScale);
        var report = Evaluator.Evaluate(new FirstPixelClassifier(), data);

        Assert.Equal(0.75, report.Accuracy, 10);
        Assert.Equal([1.0, 0.5, 1.0], report.PerClassAccuracy);
        Assert.Equal([1, 2, 1], report.PerClassCount);
        Assert.Equal([0, 1, 2, 2], report.Predictions);
        Assert.All(report.Confidences, c => Assert.Equal(0.7f, c));
        Assert.Equal(-Math.Log(0.15), report.Losses[2], 5);
        Assert.Equal(((3 * -Math.Log(0.7)) - Math.Log(0.15)) / 4, report.MeanLoss, 5);
    }

    [Fact]
    public void A_subset_is_evaluated_on_its_rows_only()
    {
        var data = new Dataset([0, 1, 2, 2], [0, 1, 1, 2], 1, 3, Normalisation.UnitScale);
        var report = Evaluator.Evaluate(new FirstPixelClassifier(), data, [2]);
        Assert.Equal(1, report.Count);
        Assert.Equal(0.0, report.Accuracy);
        Assert.True(double.IsNaN(report.PerClassAccuracy[0]));
    }
}
