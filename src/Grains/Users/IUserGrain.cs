namespace Lethe.Grains.Users;

/// <summary>
/// One data owner (key: the user id): the indices of their records in each model, by shard. The
/// deletion of the user reads them, and the purge clears them, leaving nothing of the user.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Records the user's records in <paramref name="modelId"/> (shard to record indices); assigning the same again does nothing.</summary>
    Task Assign(string modelId, Dictionary<int, int[]> recordsByShard);

    /// <summary>The user's records: model id to shard to record indices; empty for a user who owns nothing.</summary>
    Task<Dictionary<string, Dictionary<int, int[]>>> GetRecords();

    /// <summary>Clears everything stored of the user.</summary>
    Task Purge();
}
