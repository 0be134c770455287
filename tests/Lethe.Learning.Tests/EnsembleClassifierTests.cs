using Lethe.Learning.Data;
using Lethe.Learning.Evaluation;
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
        var product = Predict(new EnsembleClassifier(members, EnsembleAggregation.ProductOfExperts));

        Assert.Equal(0.63f, mean[0], 5);
        Assert.Equal(0.37f, mean[1], 5);
        Assert.Equal([1f / 3, 2f / 3], vote);
        // softmax of the mean log-probabilities: (2 ln 0.45 + ln 0.99) / 3 and (2 ln 0.55 + ln 0.01) / 3.
        Assert.Equal(0.80185f, product[0], 4);
        Assert.Equal(0.19815f, product[1], 4);
    }

    [Fact]
    public void A_label_only_one_member_fitted_keeps_a_product_of_experts_loss_near_the_members_mean_loss_where_the_mean_softmax_loss_collapses()
    {
        // Seven members never saw the record and give its label 0.001; the eighth memorised it (0.9).
        IClassifier[] members = [.. Enumerable.Repeat<IClassifier>(new FixedClassifier(0.999f, 0.001f), 7), new FixedClassifier(0.1f, 0.9f)];
        var membersMeanLoss = ((7 * -Math.Log(0.001)) - Math.Log(0.9)) / 8;

        var meanLoss = -Math.Log(Predict(new EnsembleClassifier(members, EnsembleAggregation.MeanSoftmax))[1]);
        var productLoss = -Math.Log(Predict(new EnsembleClassifier(members, EnsembleAggregation.ProductOfExperts))[1]);

        Assert.Equal(2.177, meanLoss, 3);
        Assert.Equal(5.772, productLoss, 3);
        Assert.Equal(6.057, membersMeanLoss, 3);
    }

    [Fact]
    public void A_member_certain_a_class_is_impossible_lowers_it_in_a_product_of_experts_without_zeroing_the_distribution()
    {
        IClassifier[] members = [new FixedClassifier(1f, 0f), new FixedClassifier(0f, 1f)];
        var product = Predict(new EnsembleClassifier(members, EnsembleAggregation.ProductOfExperts));
        Assert.Equal([0.5f, 0.5f], product);
    }

    [Fact]
    public void Combining_checks_its_inputs()
    {
        var output = new float[4];
        Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(EnsembleAggregation.MeanSoftmax, [], 2, output));
        Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(EnsembleAggregation.MeanSoftmax, [new float[4], new float[2]], 2, output));
        Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(EnsembleAggregation.MeanSoftmax, [new float[4]], 3, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleCombination.Combine((EnsembleAggregation)7, [new float[4]], 2, output));
    }

    [Theory]
    [InlineData(EnsembleAggregation.MeanSoftmax, 0.4f)]
    [InlineData(EnsembleAggregation.ProductOfExperts, 0.37980f)]
    public void Every_row_is_aggregated_on_its_own(EnsembleAggregation aggregation, float first)
    {
        var data = new Dataset([0, 1], [0, 1], 1, 2, Normalisation.UnitScale);
        var ensemble = new EnsembleClassifier([new FixedClassifier(0.2f, 0.8f), new FixedClassifier(0.6f, 0.4f)], aggregation);
        var output = new float[4];
        ensemble.Probabilities(data, [0, 1], output);
        Assert.Equal(first, output[0], 4);
        Assert.Equal(1 - first, output[1], 4);
        Assert.Equal(output[..2], output[2..]);
    }

    [Fact]
    public void On_mnist_shards_a_product_of_experts_gives_distributions_as_accurate_as_the_mean_softmax()
    {
        var model = ShardedModel.Train(SmallSharding.SmallData.Value, SmallSharding.SmallOwners, SmallSharding.Small, SmallSharding.RunSeed);
        var test = TestData.MnistTest;
        var rows = Enumerable.Range(0, 2000).ToArray();

        var mean = Evaluator.Evaluate(model.Ensemble(EnsembleAggregation.MeanSoftmax), test, rows);
        var product = Evaluator.Evaluate(model.Ensemble(EnsembleAggregation.ProductOfExperts), test, rows);
        var probabilities = new float[rows.Length * test.ClassCount];
        model.Ensemble(EnsembleAggregation.ProductOfExperts).Probabilities(test, rows, probabilities);

        Assert.All(probabilities.Chunk(test.ClassCount), row => Assert.Equal(1f, row.Sum(), 4));
        Assert.True(product.Accuracy >= 0.85, $"product of experts {product.Accuracy:P2}");
        Assert.True(Math.Abs(product.Accuracy - mean.Accuracy) <= 0.01, $"product of experts {product.Accuracy:P2}, mean softmax {mean.Accuracy:P2}");
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
