namespace Lethe.Grains.Deletions;

/// <summary>
/// Told when a deletion has removed the last of a user's data from grain state (the user's row and the id in the
/// deletion's record), so that the store can remove what its files may still hold of them: SQLite leaves fragments
/// of rows it moved between pages in the pages' free space until the file is rewritten.
/// </summary>
public interface IStoreScrubber
{
    /// <summary>A user's data has been purged from grain state.</summary>
    void Purged();
}

/// <summary>For stores whose files keep nothing a purge removed, or that clean up on their own.</summary>
internal sealed class NoStoreScrubber : IStoreScrubber
{
    public void Purged()
    {
    }
}
