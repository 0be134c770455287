using Lethe.Learning.Training;

namespace Lethe.Learning.Owners;

/// <summary>Who owns each training record: <c>OwnerOf[record]</c> is a user id in 0..UserCount-1.</summary>
public sealed class Ownership
{
    /// <summary>Creates an ownership table; every owner must be below <paramref name="userCount"/>.</summary>
    public Ownership(int[] ownerOf, int userCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(userCount, 1);
        foreach (var owner in ownerOf)
        {
            if ((uint)owner >= (uint)userCount) throw new ArgumentException($"Owner {owner} is outside 0..{userCount - 1}.", nameof(ownerOf));
        }

        OwnerOf = ownerOf;
        UserCount = userCount;
        RecordCounts = new int[userCount];
        foreach (var owner in ownerOf) RecordCounts[owner]++;
    }

    /// <summary>The owner of each record.</summary>
    public int[] OwnerOf { get; }

    /// <summary>Number of users (some may own nothing).</summary>
    public int UserCount { get; }

    /// <summary>How many records each user owns.</summary>
    public int[] RecordCounts { get; }

    /// <summary>The records of <paramref name="users"/>, ascending.</summary>
    public int[] RecordsOf(params IEnumerable<int> users)
    {
        var wanted = new HashSet<int>(users);
        return Enumerable.Range(0, OwnerOf.Length).Where(r => wanted.Contains(OwnerOf[r])).ToArray();
    }

    /// <summary>All records not owned by <paramref name="users"/>, ascending.</summary>
    public int[] RecordsNotOf(params IEnumerable<int> users)
    {
        var excluded = new HashSet<int>(users);
        return Enumerable.Range(0, OwnerOf.Length).Where(r => !excluded.Contains(OwnerOf[r])).ToArray();
    }

    /// <summary>Users ordered from the most records to the fewest (ties by id).</summary>
    public int[] UsersByRecordCount() =>
        Enumerable.Range(0, UserCount).OrderByDescending(u => RecordCounts[u]).ThenBy(u => u).ToArray();

    /// <summary>
    /// <paramref name="count"/> distinct users who own records, drawn one after another with
    /// probability proportional to their record count (heavy users are likelier to ask for deletion),
    /// from <c>Seeds.Generator(seed, Requests)</c>.
    /// </summary>
    public int[] DrawUsersByRecordCount(int count, long seed)
    {
        var remaining = Enumerable.Range(0, UserCount).Where(u => RecordCounts[u] > 0).ToList();
        if (count > remaining.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"Only {remaining.Count} users own records.");
        var random = Seeds.Generator(seed, Seeds.Purpose.Requests);
        var drawn = new int[count];
        for (var i = 0; i < count; i++)
        {
            var total = remaining.Sum(u => (long)RecordCounts[u]);
            var ticket = random.NextInt64(total);
            var index = 0;
            for (; ticket >= RecordCounts[remaining[index]]; index++) ticket -= RecordCounts[remaining[index]];
            drawn[i] = remaining[index];
            remaining.RemoveAt(index);
        }

        return drawn;
    }
}
