namespace Lethe.Learning.Unlearning;

/// <summary>The unlearning methods by the names the API and reports use, each with its default settings.</summary>
public static class UnlearningMethods
{
    private static readonly Dictionary<string, Func<IUnlearningMethod>> Factories = new(StringComparer.Ordinal)
    {
        ["retrain"] = () => new Retrain(),
        ["fisher-scrub"] = () => new FisherScrub(),
        ["neggrad-ft"] = () => new NegGradFineTune(),
        ["fisher-noise"] = () => new FisherNoise(),
        ["influence"] = () => new Influence(),
        ["scrub"] = () => new Scrub(),
    };

    /// <summary>Every name <see cref="Create"/> knows.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>The method called <paramref name="name"/>, with its default settings.</summary>
    public static IUnlearningMethod Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Factories.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"Unknown unlearning method '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));
    }
}
