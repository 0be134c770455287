namespace Lethe.Grains.Audit;

/// <summary>The outcome of walking the audit chain.</summary>
/// <param name="EntriesChecked">Entries found intact before the first broken one (all, when intact).</param>
/// <param name="FirstBrokenSequence">The sequence number of the first entry that is altered or missing.</param>
/// <param name="Problem">What is wrong with that entry.</param>
public sealed record AuditVerification(long EntriesChecked, long? FirstBrokenSequence, string? Problem)
{
    public bool IsIntact => FirstBrokenSequence is null;

    public static AuditVerification Intact(long entries) => new(entries, null, null);

    public static AuditVerification Broken(long entriesChecked, long sequence, string problem) => new(entriesChecked, sequence, problem);
}
