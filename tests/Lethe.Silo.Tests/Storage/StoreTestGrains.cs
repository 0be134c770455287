using System.Collections.Concurrent;
using Lethe.Silo.Storage;

namespace Lethe.Silo.Tests.Storage;

/// <summary>A grain whose one piece of state goes through the store's grain storage.</summary>
public interface ITextGrain : IGrainWithStringKey
{
    Task<string?> GetAsync();

    Task SetAsync(string text);

    Task ClearAsync();
}

[GenerateSerializer, Alias("lethe.tests.text-state")]
public sealed class TextState
{
    [Id(0)] public string? Text { get; set; }
}

public sealed class TextGrain([PersistentState("text", StoreOptions.GrainStorageName)] IPersistentState<TextState> state) : Grain, ITextGrain
{
    public Task<string?> GetAsync() => Task.FromResult(state.State.Text);

    public async Task SetAsync(string text)
    {
        state.State.Text = text;
        await state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();
}

/// <summary>A grain that counts its reminder's ticks in <see cref="ReminderTicks"/>.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan dueTime, TimeSpan period);

    Task StopAsync();
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    public Task StartAsync(TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderTicks.Record(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }
}

/// <summary>Reminder ticks per grain key, seen by the test (the silos run in the test process).</summary>
public static class ReminderTicks
{
    private static readonly ConcurrentDictionary<string, int> Ticks = new();

    public static void Record(string key) => Ticks.AddOrUpdate(key, 1, (_, count) => count + 1);

    public static int Count(string key) => Ticks.GetValueOrDefault(key);

    /// <summary>Waits until <paramref name="key"/> has more than <paramref name="after"/> ticks.</summary>
    public static async Task<bool> WaitForTickAfterAsync(string key, int after, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Count(key) > after) return true;
            await Task.Delay(100);
        }
        return Count(key) > after;
    }
}
