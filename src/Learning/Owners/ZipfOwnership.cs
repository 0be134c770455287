using Lethe.Learning.Training;

namespace Lethe.Learning.Owners;

/// <summary>Ownership tables for experiments: owners drawn from a Zipf law, and the exclusive-class scenario.</summary>
public static class ZipfOwnership
{
    /// <summary>
    /// Each of <paramref name="recordCount"/> records gets an owner drawn independently with
    /// P(user k) ∝ 1/(k+1)^exponent, so user 0 is the heaviest; drawn from <c>Seeds.Generator(seed, Ownership)</c>.
    /// </summary>
    public static Ownership Create(int recordCount, int users = 100, double exponent = 1.5, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(recordCount);
        var cumulative = new double[users];
        double total = 0;
        for (var k = 0; k < users; k++)
        {
            total += 1.0 / Math.Pow(k + 1, exponent);
            cumulative[k] = total;
        }

        var random = Seeds.Generator(seed, Seeds.Purpose.Ownership);
        var owners = new int[recordCount];
        for (var r = 0; r < recordCount; r++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
            owners[r] = Math.Min(index < 0 ? ~index : index, users - 1);
        }

        return new Ownership(owners, users);
    }

    /// <summary>
    /// The exclusive scenario: every record labelled <paramref name="exclusiveClass"/> belongs to one
    /// extra user (id <c>UserCount</c> of the result minus one); the other records keep their owners.
    /// </summary>
    public static Ownership WithExclusiveOwner(Ownership ownership, int[] labels, int exclusiveClass)
    {
        if (labels.Length != ownership.OwnerOf.Length) throw new ArgumentException("One label per record is needed.", nameof(labels));
        var exclusiveUser = ownership.UserCount;
        var owners = ownership.OwnerOf.Select((owner, r) => labels[r] == exclusiveClass ? exclusiveUser : owner).ToArray();
        return new Ownership(owners, ownership.UserCount + 1);
    }
}
