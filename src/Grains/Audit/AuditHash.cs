using System.Security.Cryptography;

namespace Lethe.Grains.Audit;

/// <summary>A SHA-256 digest in the audit chain (32 bytes), compared by value.</summary>
[GenerateSerializer, Immutable, Alias("lethe.audit-hash")]
public readonly struct AuditHash : IEquatable<AuditHash>
{
    public const int Length = SHA256.HashSizeInBytes;

    [Id(0)] private readonly byte[]? bytes;

    private AuditHash(byte[] bytes) => this.bytes = bytes;

    /// <summary>The previous hash of the first entry: 32 zero bytes.</summary>
    public static AuditHash Zero { get; } = new(new byte[Length]);

    public ReadOnlySpan<byte> Bytes => bytes ?? Zero.bytes;

    public static AuditHash FromBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length) throw new ArgumentException($"An audit hash has {Length} bytes, not {value.Length}.", nameof(value));
        return new AuditHash(value.ToArray());
    }

    public bool Equals(AuditHash other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is AuditHash other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    public override string ToString() => Convert.ToHexStringLower(Bytes);

    public static bool operator ==(AuditHash left, AuditHash right) => left.Equals(right);

    public static bool operator !=(AuditHash left, AuditHash right) => !left.Equals(right);
}
