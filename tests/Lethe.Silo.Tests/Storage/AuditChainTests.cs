using Lethe.Grains.Audit;

namespace Lethe.Silo.Tests.Storage;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_entry_links_to_the_one_before_and_its_hash_covers_its_contents()
    {
        var chain = Chain(3);

        Assert.Equal([1L, 2L, 3L], chain.Select(e => e.Sequence));
        Assert.Equal(AuditHash.Zero, chain[0].PreviousHash);
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
        Assert.Equal(chain[1].Hash, chain[2].PreviousHash);
        Assert.Equal(3, chain.Select(e => e.Hash).Distinct().Count());
        Assert.Equal(chain[1].Hash, AuditChain.ComputeHash(chain[1]));
        Assert.NotEqual(chain[1].Hash, AuditChain.ComputeHash(chain[1] with { DeletionRequestId = null }));
        Assert.NotEqual(chain[1].Hash, AuditChain.ComputeHash(chain[1] with { PayloadJson = chain[1].PayloadJson + " " }));
        Assert.True(AuditChain.Verify(chain).IsIntact);
    }

    [Fact]
    public void Timestamps_are_kept_to_the_microsecond_so_stores_return_what_was_hashed()
    {
        var entry = AuditChain.Next(null, Start.AddTicks(15), "Accepted", "m", null, "{}");
        Assert.Equal(Start.AddTicks(10), entry.Timestamp);
        Assert.Equal(entry.Timestamp, AuditChain.FromUnixMicroseconds(AuditChain.UnixMicroseconds(entry.Timestamp)));
    }

    [Fact]
    public void Verify_names_the_first_entry_that_is_altered_reordered_or_missing()
    {
        var chain = Chain(5);

        var altered = chain.ToList();
        altered[2] = altered[2] with { Kind = "Completed" };
        Assert.Equal((3L, 2L), Broken(AuditChain.Verify(altered)));

        var relinked = chain.ToList();
        relinked[3] = AuditChain.Next(chain[1], Start, "Accepted", "m", null, "{}") with { Sequence = 4 };
        Assert.Equal((4L, 3L), Broken(AuditChain.Verify(relinked)));

        Assert.Equal((2L, 1L), Broken(AuditChain.Verify([chain[0], chain[2], chain[1], chain[3]])));
        Assert.Equal((1L, 0L), Broken(AuditChain.Verify(chain.Skip(1))));
        Assert.True(AuditChain.Verify(chain.Skip(2), preceding: chain[1]).IsIntact);
    }

    private static (long?, long) Broken(AuditVerification verification) => (verification.FirstBrokenSequence, verification.EntriesChecked);

    private static List<AuditEntry> Chain(int count)
    {
        var chain = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
            chain.Add(AuditChain.Next(chain.LastOrDefault(), Start.AddMinutes(i), "Accepted", "model", $"request-{i}", $$"""{"step":{{i}}}"""));
        return chain;
    }
}
