namespace Lethe.Learning.Audits;

/// <summary>
/// The loss-threshold membership-inference attack (Yeom et al.): a record is called a training member
/// when the model's loss on it is low. Its strength over all thresholds is the AUC of separating
/// members from non-members by loss: 0.5 means the model's losses tell nothing.
/// </summary>
public static class MembershipInference
{
    /// <summary>
    /// P(loss of a random member &lt; loss of a random non-member), ties counting one half: the area
    /// under the ROC curve of the attack (Mann-Whitney U over the pooled ranks).
    /// </summary>
    public static double LossThresholdAuc(ReadOnlySpan<float> memberLosses, ReadOnlySpan<float> nonMemberLosses)
    {
        if (memberLosses.IsEmpty || nonMemberLosses.IsEmpty) return double.NaN;
        var pooled = new (float Loss, bool Member)[memberLosses.Length + nonMemberLosses.Length];
        for (var i = 0; i < memberLosses.Length; i++) pooled[i] = (memberLosses[i], true);
        for (var i = 0; i < nonMemberLosses.Length; i++) pooled[memberLosses.Length + i] = (nonMemberLosses[i], false);
        Array.Sort(pooled, (a, b) => b.Loss.CompareTo(a.Loss)); // highest loss first: rank 1 is least member-like

        double memberRankSum = 0;
        for (var start = 0; start < pooled.Length;)
        {
            var end = start;
            while (end < pooled.Length && pooled[end].Loss.Equals(pooled[start].Loss)) end++;
            var averageRank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (pooled[i].Member) memberRankSum += averageRank;
            }

            start = end;
        }

        double m = memberLosses.Length, n = nonMemberLosses.Length;
        return (memberRankSum - (m * (m + 1) / 2)) / (m * n);
    }
}
