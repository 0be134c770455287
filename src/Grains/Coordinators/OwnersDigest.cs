using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Lethe.Grains.Coordinators;

/// <summary>A digest of an explicit owners table, by which a repeated create is told from one with other owners
/// once the table is no longer stored: SHA-256 over each owner (in ordinal order) as its UTF-8 id, a zero byte,
/// its record count and records (int32, little-endian).</summary>
internal static class OwnersDigest
{
    public static string? Of(IReadOnlyDictionary<string, int[]>? owners)
    {
        if (owners is null) return null;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[sizeof(int)];
        foreach (var (user, records) in owners.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(user));
            sha.AppendData([0]);
            BinaryPrimitives.WriteInt32LittleEndian(number, records.Length);
            sha.AppendData(number);
            foreach (var record in records)
            {
                BinaryPrimitives.WriteInt32LittleEndian(number, record);
                sha.AppendData(number);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
