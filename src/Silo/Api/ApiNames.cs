using System.Text.Json;
using Lethe.Grains;

namespace Lethe.Silo.Api;

/// <summary>Enum values as the API spells them (kebab-case, as in its JSON: <c>models-updated</c>, <c>user-affine</c>).</summary>
internal static class ApiNames
{
    public static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>The value named <paramref name="text"/>.</summary>
    /// <exception cref="LetheException">No value has that name (<see cref="LetheErrorKind.Invalid"/>, naming <paramref name="field"/>).</exception>
    public static T Parse<T>(string text, string field)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (Name(value) == text) return value;
        }

        throw LetheException.Invalid(field, $"'{text}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(Name))}");
    }
}
