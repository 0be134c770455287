using Lethe.Learning.Data;
using Lethe.Learning.Owners;
using Lethe.Learning.Training;

namespace Lethe.Silo.Experiments;

/// <summary>
/// The third scenario, where forgetting is measurable on MNIST: one user owns records whose labels were
/// changed at random, which a model fits only by memorising them.
/// </summary>
internal static class MislabelledScenario
{
    private const int RecordStream = 20;
    private const int LabelStream = 21;
    private const int NonMemberStream = 22;
    private const int NonMemberLabelStream = 23;

    /// <summary>
    /// <paramref name="records"/> training records drawn with the seed get a label drawn uniformly from the
    /// other classes and a new owner beside the 100 Zipf(1.5) users. The attack's non-members are as many
    /// test records relabelled the same way, so members and non-members differ only in having been trained on.
    /// </summary>
    public static (MnistData Data, Scenario Scenario) Create(MnistData data, long seed, int records = 600)
    {
        var train = data.Train;
        var picked = IndexSampling.Draw(train.AllIndices(), records, Seeds.Generator(seed, Seeds.Purpose.Sampling, RecordStream));
        var noisyTrain = Relabelled(train, picked, Seeds.Generator(seed, Seeds.Purpose.Sampling, LabelStream));

        var zipf = Scenario.ZipfUsers(train, seed);
        var owners = (int[])zipf.OwnerOf.Clone();
        var user = zipf.UserCount;
        foreach (var record in picked) owners[record] = user;
        var ownership = new Ownership(owners, user + 1);

        var outside = IndexSampling.Draw(data.Test.AllIndices(), records, Seeds.Generator(seed, Seeds.Purpose.Sampling, NonMemberStream));
        var nonMembers = Relabelled(data.Test, outside, Seeds.Generator(seed, Seeds.Purpose.Sampling, NonMemberLabelStream)).Subset(outside);
        var scenario = Scenario.ForUsers("mislabelled", $"a user owning {records} records whose labels were changed at random", ownership, [user], null)
            with { AttackNonMembers = nonMembers };
        return (new MnistData(noisyTrain, data.Test), scenario);
    }

    /// <summary>The data with each of <paramref name="rows"/> given a label drawn uniformly from the classes other than its own.</summary>
    private static Dataset Relabelled(Dataset data, int[] rows, Random random)
    {
        var labels = (int[])data.Labels.Clone();
        foreach (var row in rows) labels[row] = (labels[row] + 1 + random.Next(data.ClassCount - 1)) % data.ClassCount;
        return new Dataset(data.Pixels, labels, data.FeatureCount, data.ClassCount, data.Normalisation);
    }
}
