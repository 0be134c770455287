using Lethe.Grains.Coordinators;

namespace Lethe.Grains.Deletions;

/// <summary>What a deletion grain persists. The user id is kept only until the purge; record indices never.</summary>
[GenerateSerializer, Alias("lethe.deletion-record")]
public sealed class DeletionRecord
{
    /// <summary>Where the lifecycle is.</summary>
    [Id(0)] public DeletionState State { get; set; }

    /// <summary>The method asked for.</summary>
    [Id(1)] public UnlearningMethod Method { get; set; }

    /// <summary>The user, until purged.</summary>
    [Id(2)] public string? UserId { get; set; }

    /// <summary>The models holding the user's records when accepted.</summary>
    [Id(3)] public List<string> Models { get; set; } = [];

    /// <summary>Records forgotten over all models.</summary>
    [Id(4)] public int Records { get; set; }

    /// <summary>When each state was reached.</summary>
    [Id(5)] public Dictionary<DeletionState, DateTimeOffset> Transitions { get; set; } = [];

    /// <summary>The latest progress each model reported.</summary>
    [Id(6)] public Dictionary<string, ModelDeletionProgress> Progress { get; set; } = [];

    /// <summary>Why it failed.</summary>
    [Id(7)] public string? FailureReason { get; set; }

    /// <summary>The models that have durably accepted the deletion.</summary>
    [Id(8)] public HashSet<string> AcceptedBy { get; set; } = [];

    /// <summary>The status a caller sees.</summary>
    public DeletionStatus ToStatus(string id)
    {
        var resolved = Progress.Values.Select(p => p.Method).Distinct().ToList();
        var exact = Models.Count > 0 && Models.All(m => Progress.TryGetValue(m, out var p) && p.Stage == ModelDeletionStage.Done) && Method != UnlearningMethod.FisherScrub
            && resolved.All(m => m.EndsExact());
        return new DeletionStatus(
            id, State, Method, resolved.Count == 1 ? resolved[0] : Method, [.. Models], Records, new Dictionary<DeletionState, DateTimeOffset>(Transitions), exact,
            Progress.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<int, long>)new Dictionary<int, long>(p.Value.ShardVersions)), FailureReason);
    }
}
