namespace Lethe.Grains.Registry;

/// <summary>What the registry persists: model ids in creation order.</summary>
[GenerateSerializer, Alias("lethe.model-registry")]
public sealed class ModelRegistryState
{
    /// <summary>Every model id.</summary>
    [Id(0)] public List<string> Models { get; set; } = [];
}

/// <summary>The ids of every model created.</summary>
public sealed class ModelRegistryGrain([PersistentState("models", "lethe")] IPersistentState<ModelRegistryState> state) : Grain, IModelRegistryGrain
{
    /// <inheritdoc />
    public async Task Register(string modelId)
    {
        if (state.State.Models.Contains(modelId)) return;
        state.State.Models.Add(modelId);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Models]);
}
