using System.Numerics.Tensors;
using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Evaluation;

/// <summary>Accuracy, per-class accuracy, loss and confidence of a classifier.</summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="classifier"/> on the rows <paramref name="indices"/> (all rows when null).</summary>
    public static EvaluationReport Evaluate(IClassifier classifier, Dataset data, int[]? indices = null)
    {
        indices ??= data.AllIndices();
        var classes = classifier.ClassCount;
        var probabilities = new float[indices.Length * classes];
        classifier.Probabilities(data, indices, probabilities);

        var predictions = new int[indices.Length];
        var confidences = new float[indices.Length];
        var losses = new float[indices.Length];
        var correctPerClass = new int[classes];
        var countPerClass = new int[classes];
        double lossSum = 0;
        var correct = 0;
        for (var n = 0; n < indices.Length; n++)
        {
            var row = probabilities.AsSpan(n * classes, classes);
            var label = data.Labels[indices[n]];
            predictions[n] = TensorPrimitives.IndexOfMax(row);
            confidences[n] = row[predictions[n]];
            losses[n] = (float)-Math.Log(Math.Max(row[label], float.Epsilon));
            lossSum += losses[n];
            countPerClass[label]++;
            if (predictions[n] == label)
            {
                correct++;
                correctPerClass[label]++;
            }
        }

        var perClass = Enumerable.Range(0, classes)
            .Select(c => countPerClass[c] == 0 ? double.NaN : (double)correctPerClass[c] / countPerClass[c]).ToArray();
        var count = indices.Length;
        return new EvaluationReport(
            count,
            count == 0 ? double.NaN : (double)correct / count,
            perClass,
            countPerClass,
            count == 0 ? double.NaN : lossSum / count,
            predictions,
            confidences,
            losses);
    }
}
