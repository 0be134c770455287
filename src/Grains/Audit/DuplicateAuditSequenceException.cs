namespace Lethe.Grains.Audit;

/// <summary>An append named a sequence number the audit log already holds.</summary>
public sealed class DuplicateAuditSequenceException : InvalidOperationException
{
    public DuplicateAuditSequenceException()
    {
    }

    public DuplicateAuditSequenceException(string message) : base(message)
    {
    }

    public DuplicateAuditSequenceException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DuplicateAuditSequenceException(long sequence, Exception innerException)
        : base($"The audit log already holds entry {sequence}.", innerException)
    {
        Sequence = sequence;
    }

    public long Sequence { get; }
}
