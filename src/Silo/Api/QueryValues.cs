using System.Globalization;
using Lethe.Grains;

namespace Lethe.Silo.Api;

/// <summary>Query string values, bound as text and parsed here, so a malformed one is a 400 naming its parameter.</summary>
internal static class QueryValues
{
    /// <summary>The integer <paramref name="text"/> within <paramref name="min"/>..<paramref name="max"/>, or <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="LetheException">Not an integer in range (<see cref="LetheErrorKind.Invalid"/>, naming <paramref name="field"/>).</exception>
    public static long Integer(string? text, string field, long min, long max, long defaultValue)
    {
        if (text is null) return defaultValue;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw LetheException.Invalid(field, $"'{text}' is not an integer from {min} to {max}");
        return value;
    }

    /// <inheritdoc cref="Integer(string?, string, long, long, long)"/>
    public static int Integer(string? text, string field, int min, int max, int defaultValue) =>
        (int)Integer(text, field, (long)min, max, defaultValue);
}
