namespace Lethe.Grains.Users;

/// <summary>What a user grain persists: their records per model and shard, and nothing else.</summary>
[GenerateSerializer, Alias("lethe.user-state")]
public sealed class UserState
{
    /// <summary>Model id to shard to record indices.</summary>
    [Id(0)] public Dictionary<string, Dictionary<int, int[]>> Models { get; set; } = [];
}

/// <summary>One data owner's records; cleared by the purge of their deletion.</summary>
public sealed class UserGrain([PersistentState("user", "lethe")] IPersistentState<UserState> state) : Grain, IUserGrain
{
    /// <inheritdoc />
    public async Task Assign(string modelId, Dictionary<int, int[]> recordsByShard)
    {
        if (state.State.Models.TryGetValue(modelId, out var existing) && SameRecords(existing, recordsByShard)) return;
        state.State.Models[modelId] = recordsByShard;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<Dictionary<string, Dictionary<int, int[]>>> GetRecords() => Task.FromResult(state.State.Models);

    /// <inheritdoc />
    public async Task Purge()
    {
        if (!state.RecordExists && state.State.Models.Count == 0) return;
        await state.ClearStateAsync();
        state.State = new UserState();
    }

    private static bool SameRecords(Dictionary<int, int[]> a, Dictionary<int, int[]> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && other.AsSpan().SequenceEqual(pair.Value));
}
