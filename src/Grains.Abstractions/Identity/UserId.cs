namespace Lethe.Grains;

/// <summary>A data owner's id as the application knows it: 1 to 128 printable characters. Never logged above debug.</summary>
[GenerateSerializer, Immutable, Alias("lethe.user-id")]
public readonly record struct UserId
{
    private UserId(string value) => Value = value;

    /// <summary>The id.</summary>
    [Id(0)]
    public string Value { get; }

    /// <summary>The id <paramref name="text"/>, or false with the reason when it is not valid.</summary>
    public static bool TryParse(string? text, out UserId id, out string? error)
    {
        id = default;
        error = string.IsNullOrEmpty(text) || text.Length > 128 || text.Any(char.IsControl)
            ? "a user id is 1 to 128 printable characters"
            : null;
        if (error is null) id = new UserId(text!);
        return error is null;
    }

    /// <summary>The id <paramref name="text"/>.</summary>
    /// <exception cref="LetheException">The id is not valid (<see cref="LetheErrorKind.Invalid"/>).</exception>
    public static UserId Parse(string? text, string field = "user_id") =>
        TryParse(text, out var id, out var error) ? id : throw LetheException.Invalid(field, error!);

    /// <summary>A redacted form for logs and messages: never the id itself.</summary>
    public override string ToString() => "user:" + DeletionId.ForUser(this).Value[2..10];
}
