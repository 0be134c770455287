namespace Lethe.Learning.Sharding;

/// <summary>How an ensemble turns its members' predictions into one.</summary>
public enum EnsembleAggregation
{
    /// <summary>The mean of the members' softmax outputs.</summary>
    MeanSoftmax,

    /// <summary>
    /// Each member votes for its most probable class; the output is the share of votes per class, so
    /// the prediction is the majority (a tie goes to the lowest class index, as argmax picks it).
    /// </summary>
    MajorityVote,

    /// <summary>
    /// The normalised product of the members' distributions: the softmax of the mean of their log-probabilities
    /// (a normalised geometric mean), so a class is likely only when every member finds it likely.
    /// </summary>
    ProductOfExperts,
}
