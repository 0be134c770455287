namespace Lethe.Grains;

/// <summary>How a deletion updates the models.</summary>
public enum UnlearningMethod
{
    /// <summary><c>sisa</c>: each affected shard replays from the checkpoint before its earliest affected slice; exact.</summary>
    Sisa,

    /// <summary><c>fisher-scrub</c>: each affected shard's model is scrubbed at once; approximate until a later replay.</summary>
    FisherScrub,

    /// <summary><c>scrub-then-sisa</c>: scrubbed at once, then the exact replay replaces the scrub.</summary>
    ScrubThenSisa,

    /// <summary><c>auto</c>: <c>sisa</c> when the cost model predicts the replays within the SLA, else <c>scrub-then-sisa</c>.</summary>
    Auto,
}

/// <summary>The API names of <see cref="UnlearningMethod"/>.</summary>
public static class UnlearningMethodNames
{
    private static readonly Dictionary<string, UnlearningMethod> ByName = new(StringComparer.Ordinal)
    {
        ["sisa"] = UnlearningMethod.Sisa,
        ["fisher-scrub"] = UnlearningMethod.FisherScrub,
        ["scrub-then-sisa"] = UnlearningMethod.ScrubThenSisa,
        ["auto"] = UnlearningMethod.Auto,
    };

    /// <summary>Every name.</summary>
    public static IReadOnlyCollection<string> All => ByName.Keys;

    /// <summary>The API name of <paramref name="method"/>.</summary>
    public static string ToName(this UnlearningMethod method) => ByName.First(pair => pair.Value == method).Key;

    /// <summary>The method named <paramref name="name"/>.</summary>
    /// <exception cref="LetheException">Unknown name (<see cref="LetheErrorKind.Invalid"/>).</exception>
    public static UnlearningMethod Parse(string? name, string field = "method") =>
        name is not null && ByName.TryGetValue(name, out var method)
            ? method
            : throw LetheException.Invalid(field, $"'{name}' is not a method; use {string.Join(", ", ByName.Keys)}");

    /// <summary>Whether the method ends with the exact model served.</summary>
    public static bool EndsExact(this UnlearningMethod method) => method is UnlearningMethod.Sisa or UnlearningMethod.ScrubThenSisa;
}
