using System.Globalization;
using Lethe.Grains;

namespace Lethe.Silo.Demo;

/// <summary>A deletion's lifecycle as one line: each state and how long after the one before it was reached.</summary>
internal static class Lifecycle
{
    private static readonly DeletionState[] Order = [DeletionState.Accepted, DeletionState.Forgetting, DeletionState.ModelsUpdated, DeletionState.Purged, DeletionState.Completed];

    public static string Describe(DeletionStatus status)
    {
        var steps = new List<string>();
        DateTimeOffset? previous = null;
        foreach (var state in Order.Where(status.Transitions.ContainsKey))
        {
            var at = status.Transitions[state];
            steps.Add(previous is { } before ? $"{state} +{(at - before).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s" : state.ToString());
            previous = at;
        }

        return string.Join(" -> ", steps);
    }
}
