namespace Lethe.Grains;

/// <summary>What kind of mistake or condition a <see cref="LetheException"/> reports; the HTTP API maps it to a status code.</summary>
public enum LetheErrorKind
{
    /// <summary>The request is malformed: a field is missing or out of range (400).</summary>
    Invalid,

    /// <summary>Something the request names does not exist (404).</summary>
    NotFound,

    /// <summary>The request contradicts what exists (409), e.g. a model id taken by another spec.</summary>
    Conflict,

    /// <summary>The cluster cannot take the request now (503); nothing was stored.</summary>
    Unavailable,
}

/// <summary>A failure the caller can act on, carried across grain calls with its kind and the field it concerns.</summary>
[GenerateSerializer, Alias("lethe.error")]
public sealed class LetheException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LetheException(LetheErrorKind kind, string? field, string message)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    /// <summary>The kind of failure.</summary>
    [Id(0)]
    public LetheErrorKind Kind { get; }

    /// <summary>The request field at fault, when there is one (e.g. <c>shards</c>).</summary>
    [Id(1)]
    public string? Field { get; }

    /// <summary>A malformed request: <paramref name="field"/> is wrong because of <paramref name="reason"/>.</summary>
    public static LetheException Invalid(string field, string reason) => new(LetheErrorKind.Invalid, field, $"{field}: {reason}");

    /// <summary>Something named does not exist.</summary>
    public static LetheException NotFound(string message) => new(LetheErrorKind.NotFound, null, message);

    /// <summary>The request contradicts what exists.</summary>
    public static LetheException Conflict(string message) => new(LetheErrorKind.Conflict, null, message);
}
