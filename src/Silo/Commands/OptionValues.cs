using System.CommandLine.Parsing;
using System.Globalization;

namespace Lethe.Silo.Commands;

/// <summary>Option parsers that turn a malformed value into a parse error naming the option, never an exception.</summary>
internal static class OptionValues
{
    /// <summary>One integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static long Integer(ArgumentResult result, long min, long max)
    {
        var values = Integers(result, min, max);
        return values.Length == 1 ? values[0] : default;
    }

    /// <summary>One or more integers, each from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static long[] Integers(ArgumentResult result, long min, long max)
    {
        var values = new long[result.Tokens.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var text = result.Tokens[i].Value;
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]) || values[i] < min || values[i] > max)
            {
                result.AddError($"{Name(result)} takes {Range(min, max)}, not '{text}'");
                return [];
            }
        }

        return values;
    }

    private static string Name(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

    private static string Range(long min, long max) => (min, max) switch
    {
        (long.MinValue, long.MaxValue) => "an integer",
        (_, long.MaxValue) => $"an integer of at least {min}",
        _ => $"an integer from {min} to {max}",
    };
}
