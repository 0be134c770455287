namespace Lethe.Silo.Reporting;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, in order; unlike
/// <see cref="Progress{T}"/> it does not post reports to the thread pool, where they could arrive late.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
