namespace Lethe.Silo.Tests.Storage;

/// <summary>Silo tests run one at a time: each starts Orleans silos, and two cores are all there is.</summary>
[CollectionDefinition(Name)]
public sealed class StoreSilos
{
    public const string Name = "store";
}
