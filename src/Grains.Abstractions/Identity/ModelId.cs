using System.Text.RegularExpressions;

namespace Lethe.Grains;

/// <summary>A model's name: 1 to 64 lowercase letters, digits and dashes, starting with a letter or digit.</summary>
[GenerateSerializer, Immutable, Alias("lethe.model-id")]
public readonly partial record struct ModelId
{
    private ModelId(string value) => Value = value;

    /// <summary>The name.</summary>
    [Id(0)]
    public string Value { get; }

    /// <summary>The id named <paramref name="text"/>, or false with the reason when it is not a valid name.</summary>
    public static bool TryParse(string? text, out ModelId id, out string? error)
    {
        id = default;
        error = text is not null && Pattern().IsMatch(text) ? null : "a model id is 1 to 64 lowercase letters, digits and dashes, starting with a letter or digit";
        if (error is null) id = new ModelId(text!);
        return error is null;
    }

    /// <summary>The id named <paramref name="text"/>.</summary>
    /// <exception cref="LetheException">The name is not valid (<see cref="LetheErrorKind.Invalid"/>).</exception>
    public static ModelId Parse(string? text, string field = "model") =>
        TryParse(text, out var id, out var error) ? id : throw LetheException.Invalid(field, $"'{text}': {error}");

    /// <inheritdoc />
    public override string ToString() => Value;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex Pattern();
}
