using System.Collections.Concurrent;
using Lethe.Learning.Data;
using Microsoft.Extensions.Options;

namespace Lethe.Grains.Data;

/// <summary>Where a silo finds its datasets.</summary>
public sealed class DataOptions
{
    /// <summary>The folder holding <c>mnist/</c> and <c>fashion-mnist/</c> (default: <c>LETHE_DATA</c>, <c>./data</c>, then <c>../shared/data</c>).</summary>
    public string? Root { get; set; }
}

/// <summary>
/// The datasets a silo trains and predicts on, loaded once per process. Records are identified by
/// their row in the training split, so every silo must see the same files.
/// </summary>
public sealed class DatasetCatalog(IOptions<DataOptions> options)
{
    private readonly ConcurrentDictionary<(string, Split), Lazy<Dataset>> loaded = new();

    /// <summary>The names of the datasets Lethe knows.</summary>
    public static IReadOnlyCollection<string> Names => [.. ImageDatasets.Known.Keys];

    /// <summary>The training split of <paramref name="name"/>.</summary>
    public Dataset Train(string name) => Load(name, Split.Train);

    /// <summary>The test split of <paramref name="name"/>.</summary>
    public Dataset Test(string name) => Load(name, Split.Test);

    private Dataset Load(string name, Split split)
    {
        if (!ImageDatasets.Known.ContainsKey(name)) throw LetheException.Invalid("dataset", $"'{name}' is not a dataset; use {string.Join(" or ", Names)}");
        return loaded.GetOrAdd((name, split), key => new Lazy<Dataset>(() => ImageDatasets.Load(key.Item1, key.Item2, options.Value.Root))).Value;
    }
}
