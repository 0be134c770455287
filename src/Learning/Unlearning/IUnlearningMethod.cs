using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Unlearning;

/// <summary>
/// A way to make a trained model behave as if a forget set had never been used. Implementations
/// never modify the model they are given; they return a new one.
/// </summary>
public interface IUnlearningMethod
{
    /// <summary>The method's name as the API and reports spell it (<c>retrain</c>, <c>fisher-scrub</c>, ...).</summary>
    string Name { get; }

    /// <summary>Returns the unlearned model and a report of what was done and how long each phase took.</summary>
    UnlearningResult Unlearn(Mlp model, Dataset data, int[] forget, int[] retain, long seed, CancellationToken cancellationToken = default);
}

/// <summary>The model after unlearning and the report of how it got there.</summary>
public sealed record UnlearningResult(Mlp Model, UnlearningReport Report);

/// <summary>
/// What an unlearning method did: how many records, its phases and their durations, method-specific
/// figures, and, when the method decided something a reader must know (e.g. that it changed nothing), a note saying so.
/// </summary>
public sealed record UnlearningReport(
    string Method,
    int Forgotten,
    int Retained,
    IReadOnlyList<PhaseTiming> Phases,
    IReadOnlyDictionary<string, double> Details,
    string? Note = null)
{
    /// <summary>Wall time of all phases.</summary>
    public TimeSpan Total => Phases.Aggregate(TimeSpan.Zero, (sum, phase) => sum + phase.Duration);
}

/// <summary>One phase of a method (e.g. <c>fisher</c>, <c>scrub</c>) and its wall time.</summary>
public sealed record PhaseTiming(string Name, TimeSpan Duration);
