using Orleans.Concurrency;

namespace Lethe.Grains;

/// <summary>The ids of every model created (key: 0), so hosts can list them and resume their work after a restart.</summary>
public interface IModelRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a model id; adding it again does nothing.</summary>
    Task Register(string modelId);

    /// <summary>Every model id, in the order they were created.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<string>> List();
}
