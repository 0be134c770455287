using Lethe.Grains.Coordinators;

namespace Lethe.Grains.Deletions;

/// <summary>What coordinators tell a deletion (the deletion grain implements it; key: the deletion id).</summary>
public interface IDeletionEvents : IGrainWithStringKey
{
    /// <summary>The deletion has progressed on <paramref name="modelId"/>.</summary>
    Task ModelProgressed(string modelId, ModelDeletionProgress progress);
}
