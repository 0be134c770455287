using System.Security.Cryptography;
using System.Text;

namespace Lethe.Grains;

/// <summary>
/// A deletion request's id: <c>d-</c> and 24 hex digits of SHA-256 over the user id. One user has one
/// deletion, so asking again returns the first request; the id proves which user was deleted to
/// whoever knows the user id, while storing nothing that names the user once the deletion is purged.
/// </summary>
[GenerateSerializer, Immutable, Alias("lethe.deletion-id")]
public readonly record struct DeletionId
{
    private const string Prefix = "d-";
    private const int HexDigits = 24;

    private DeletionId(string value) => Value = value;

    /// <summary>The id.</summary>
    [Id(0)]
    public string Value { get; }

    /// <summary>The deletion of <paramref name="user"/>.</summary>
    public static DeletionId ForUser(UserId user) =>
        new(Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("lethe-deletion:" + user.Value)))[..HexDigits]);

    /// <summary>The id <paramref name="text"/>, or false when it is not one Lethe made.</summary>
    public static bool TryParse(string? text, out DeletionId id)
    {
        id = default;
        if (text is null || text.Length != Prefix.Length + HexDigits || !text.StartsWith(Prefix, StringComparison.Ordinal) || !text[Prefix.Length..].All(char.IsAsciiHexDigitLower))
            return false;
        id = new DeletionId(text);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
