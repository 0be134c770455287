using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Lethe.Silo.Tests.Api;

/// <summary>A digest of everything a silo stores in its SQLite file (grain state, reminders, the audit log), read as an operator would, without writing.</summary>
public static class StoreSnapshot
{
    private static readonly string[] Queries =
    [
        "SELECT service_id, grain_type_string, grain_id_n0, grain_id_n1, grain_id_extension_string, version, payload_binary FROM orleans_storage ORDER BY 1, 2, 3, 4, 5",
        "SELECT service_id, grain_id, reminder_name, start_time, period, version FROM orleans_reminders ORDER BY 1, 2, 3",
        "SELECT sequence, hash FROM lethe_audit_log ORDER BY sequence",
    ];

    public static async Task<string> DigestAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var sql in Queries)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.IsDBNull(i) ? "<null>"u8.ToArray() : reader.GetValue(i) is byte[] bytes ? bytes : System.Text.Encoding.UTF8.GetBytes(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!);
                    sha.AppendData(BitConverter.GetBytes(value.Length));
                    sha.AppendData(value);
                }
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Waits until the file has not changed for <see cref="Quiet"/> (background work has settled: the
    /// grains' drive timers tick every 2 to 5 s and end by unregistering their reminders) and returns its digest.
    /// </summary>
    public static async Task<string> SettledDigestAsync(string path, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = await DigestAsync(path);
        var unchangedSince = clock.Elapsed;
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = await DigestAsync(path);
            if (now != last) (last, unchangedSince) = (now, clock.Elapsed);
            else if (clock.Elapsed - unchangedSince >= Quiet) return now;
        }

        throw new TimeoutException($"The store at {path} kept changing for {timeout.TotalSeconds} s.");
    }

    private static TimeSpan Quiet => TimeSpan.FromSeconds(8);
}
