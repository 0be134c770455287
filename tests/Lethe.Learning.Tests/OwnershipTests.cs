using Lethe.Learning.Owners;

namespace Lethe.Learning.Tests;

public class OwnershipTests
{
    [Fact]
    public void Zipf_owners_follow_the_law_and_are_seeded()
    {
        var ownership = ZipfOwnership.Create(60_000, users: 100, exponent: 1.5, seed: 4);
        var harmonic = Enumerable.Range(1, 100).Sum(k => 1 / Math.Pow(k, 1.5));
        Assert.Equal(60_000 / harmonic, ownership.RecordCounts[0], 60_000 * 0.01);       // ~41.5% to user 0
        Assert.Equal(60_000 / harmonic / Math.Pow(2, 1.5), ownership.RecordCounts[1], 60_000 * 0.01);
        Assert.Equal(ownership.OwnerOf, ZipfOwnership.Create(60_000, 100, 1.5, seed: 4).OwnerOf);
        Assert.NotEqual(ownership.OwnerOf, ZipfOwnership.Create(60_000, 100, 1.5, seed: 5).OwnerOf);
    }

    [Fact]
    public void Records_of_users_and_the_rest_partition_the_records()
    {
        var ownership = new Ownership([0, 1, 0, 2, 1], 3);
        Assert.Equal([0, 2, 3], ownership.RecordsOf(0, 2));
        Assert.Equal([1, 4], ownership.RecordsNotOf(0, 2));
        Assert.Equal([0, 1, 2], ownership.UsersByRecordCount());
        Assert.Throws<ArgumentException>(() => new Ownership([0, 3], 3));
    }

    [Fact]
    public void Users_drawn_by_record_count_are_distinct_and_favour_heavy_users()
    {
        var ownership = ZipfOwnership.Create(60_000, seed: 1);
        var firstDraws = Enumerable.Range(0, 200).Select(seed => ownership.DrawUsersByRecordCount(20, seed)).ToArray();
        Assert.All(firstDraws, draw => Assert.Equal(20, draw.Distinct().Count()));
        var heaviestFirst = firstDraws.Count(draw => draw[0] == 0) / 200.0;
        Assert.InRange(heaviestFirst, 0.3, 0.55); // P = user 0's share of the records, about 0.41
    }

    [Fact]
    public void The_exclusive_owner_owns_exactly_the_records_of_one_class()
    {
        int[] labels = [0, 3, 0, 1];
        var ownership = ZipfOwnership.WithExclusiveOwner(new Ownership([1, 1, 0, 0], 2), labels, exclusiveClass: 0);
        Assert.Equal(3, ownership.UserCount);
        Assert.Equal([0, 2], ownership.RecordsOf(2));
        Assert.Equal([2, 1, 2, 0], ownership.OwnerOf);
    }
}
