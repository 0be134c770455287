using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Sharding;

namespace Lethe.Learning.Tests;

public class EnsembleClassifierTests
{
    private static readonly Dataset OneRow = new([0], [0], 1, 2, Normalisation.UnitScale);

    /// <summary>Predicts the same probabilities for every row.</summary>
    private sealed class FixedClassifier(params float[] probabilities) : IClassifier
    {
        public int ClassCount => probabilities.Length;

        public void Probabilities(Dataset data, ReadOnlySpan<int> indices, Span<float> output)
        {
            for (var n = 0; n < indices.Length; n++) probabilities.CopyTo(output.Slice(n * ClassCount, ClassCount));
        }
    }

    [Fact]
    public void Mean_softmax_and_majority_vote_disagree_when_a_confident_minority_faces_a_hesitant_majority()
    {
        // Two members lean to class 1; one is sure of class 0.
        IClassifier[] members = [new FixedClassifier(0.45f, 0.55f), new FixedClassifier(0.45f, 0.55f), new FixedClassifier(0.99f, 0.01f)];

        var mean = Predict(new EnsembleClassifier(members, EnsembleAggregation.MeanSoftmax));
        var vote = Predict(new EnsembleClassifier(members, EnsembleAggregation.MajorityVote));

        Assert.Equal(0.63f, mean[0], 5);
        Assert.Equal(0.37f, mean[1], 5);
        Assert.Equal([1f / 3, 2f / 3], vote);
    }

    [Fact]
    public void Every_row_is_aggregated_on_its_own()
    {
        var data = new Dataset([0, 1], [0, 1], 1, 2, Normalisation.UnitScale);
        var ensemble = new EnsembleClassifier([new FixedClassifier(0.2f, 0.8f), new FixedClassifier(0.6f, 0.4f)]);
        var output = new float[4];
        ensemble.Probabilities(data, [0, 1], output);
        Assert.Equal(0.4f, output[0], 5);
        Assert.Equal(0.6f, output[1], 5);
        Assert.Equal(output[..2], output[2..]);
    }

    [Fact]
    public void An_ensemble_needs_members_that_agree_on_the_classes()
    {
        Assert.Throws<ArgumentException>(() => new EnsembleClassifier([]));
        Assert.Throws<ArgumentException>(() => new EnsembleClassifier([new FixedClassifier(0.5f, 0.5f), new FixedClassifier(0.2f, 0.3f, 0.5f)]));
        Assert.Throws<ArgumentException>(() => new EnsembleClassifier([new FixedClassifier(0.5f, 0.5f)]).Probabilities(OneRow, [0], new float[1]));
    }

    private static float[] Predict(EnsembleClassifier classifier)
    {
        var output = new float[2];
        classifier.Probabilities(OneRow, [0], output);
        return output;
    }
}
