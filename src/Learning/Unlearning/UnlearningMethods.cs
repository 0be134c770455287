namespace Lethe.Learning.Unlearning;

/// <summary>
/// The unlearning methods by the names the API and reports use, each with its default settings: methods
/// that act on one model (<see cref="Create"/>) and methods that act on a sharded model (<see cref="CreateSharded"/>).
/// </summary>
public static class UnlearningMethods
{
    private static readonly Dictionary<string, Func<IUnlearningMethod>> Factories = new(StringComparer.Ordinal)
    {
        ["retrain"] = () => new Retrain(),
        ["fisher-scrub"] = () => new FisherScrub(),
        ["neggrad-ft"] = () => new NegGradFineTune(),
        ["fisher-noise"] = () => new FisherNoise(),
    };

    private static readonly Dictionary<string, Func<IShardedUnlearningMethod>> ShardedFactories = new(StringComparer.Ordinal)
    {
        ["sisa"] = () => new Sisa(),
        ["auto"] = () => new Auto(),
    };

    /// <summary>Every name <see cref="Create"/> knows.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Every name <see cref="CreateSharded"/> knows.</summary>
    public static IReadOnlyCollection<string> ShardedNames => ShardedFactories.Keys;

    /// <summary>The method called <paramref name="name"/>, with its default settings.</summary>
    public static IUnlearningMethod Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Factories.TryGetValue(name, out var create)) return create();
        throw Unknown(name, ShardedFactories.ContainsKey(name) ? "acts on a sharded model (CreateSharded)" : null);
    }

    /// <summary>The method called <paramref name="name"/> that acts on a sharded model, with its default settings.</summary>
    public static IShardedUnlearningMethod CreateSharded(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ShardedFactories.TryGetValue(name, out var create)) return create();
        throw Unknown(name, Factories.ContainsKey(name) ? "acts on a single model (Create)" : null);
    }

    private static ArgumentException Unknown(string name, string? elsewhere) => new(
        elsewhere is null
            ? $"Unknown unlearning method '{name}'; known: {string.Join(", ", Factories.Keys.Concat(ShardedFactories.Keys))}."
            : $"The unlearning method '{name}' {elsewhere}.",
        nameof(name));
}
