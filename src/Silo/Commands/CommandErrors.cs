using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Lethe.Silo.Commands;

/// <summary>Turns the failures a user can cause or fix into one line on stderr and exit code 1.</summary>
internal static class CommandErrors
{
    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DllNotFoundException or ArgumentException or UnauthorizedAccessException or DbException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"lethe: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("lethe: cancelled");
            return 130;
        }
    }
}
