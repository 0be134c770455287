using Lethe.Learning.Certified;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// The unlearning methods by the names the API and reports use, each with its default settings: the
/// methods for an <see cref="Models.Mlp"/> through <see cref="Create"/>, and <see cref="Certified"/>, which
/// removes records from a <see cref="CertifiedModel"/>, through <see cref="CreateCertified"/>.
/// </summary>
public static class UnlearningMethods
{
    /// <summary>The name of certified removal.</summary>
    public const string Certified = "certified";

    private static readonly Dictionary<string, Func<IUnlearningMethod>> Factories = new(StringComparer.Ordinal)
    {
        ["retrain"] = () => new Retrain(),
        ["fisher-scrub"] = () => new FisherScrub(),
        ["neggrad-ft"] = () => new NegGradFineTune(),
        ["fisher-noise"] = () => new FisherNoise(),
        ["influence"] = () => new Influence(),
        ["scrub"] = () => new Scrub(),
    };

    /// <summary>Every name <see cref="Create"/> knows: the methods for an MLP.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Every method name the API accepts: <see cref="Names"/> and <see cref="Certified"/>.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Factories.Keys, Certified];

    /// <summary>The MLP method called <paramref name="name"/>, with its default settings.</summary>
    public static IUnlearningMethod Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == Certified)
            throw new ArgumentException($"'{Certified}' removes records from a certified softmax-regression model, not from an MLP: use {nameof(CreateCertified)}.", nameof(name));
        return Factories.TryGetValue(name, out var create)
            ? create()
            : throw new ArgumentException($"Unknown unlearning method '{name}'; known: {string.Join(", ", AllNames)}.", nameof(name));
    }

    /// <summary>Certified removal, for a <see cref="CertifiedModel"/>.</summary>
    public static CertifiedRemoval CreateCertified() => new();
}
