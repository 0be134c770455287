using Lethe.Grains.Coordinators;
using Lethe.Grains.Deletions;
using Lethe.Grains.Registry;
using Lethe.Grains.Shards;
using Lethe.Grains.Users;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Lethe.Cluster.Tests;

/// <summary>Every grain state in a store file, read back with Orleans' serializer, as the silo wrote it.</summary>
public sealed class StoredState
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ShardModelState).Assembly))
        .BuildServiceProvider().GetRequiredService<Serializer>();

    private StoredState(List<(string Type, string Key, object? State)> rows) => Rows = rows;

    /// <summary>Grain type, key, and the state (null when cleared).</summary>
    public IReadOnlyList<(string Type, string Key, object? State)> Rows { get; }

    public static StoredState Read(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type_string, grain_id_extension_string, payload_binary FROM orleans_storage";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, object?)>();
        while (reader.Read())
        {
            var type = reader.GetString(0);
            var payload = reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2);
            rows.Add((type, reader.GetString(1), payload is null ? null : Deserialize(type, payload)));
        }

        return new StoredState(rows);
    }

    public IEnumerable<(string Key, T State)> Of<T>() => Rows.Where(r => r.State is T).Select(r => (r.Key, (T)r.State!));

    private static object Deserialize(string type, byte[] payload) => type switch
    {
        "shard" => Serializer.Deserialize<ShardModelState>(payload)!,
        "shard-queue" => Serializer.Deserialize<ShardQueueState>(payload)!,
        "coordinator" => Serializer.Deserialize<CoordinatorState>(payload)!,
        "deletion" => Serializer.Deserialize<DeletionRecord>(payload)!,
        "user" => Serializer.Deserialize<UserState>(payload)!,
        "models" => Serializer.Deserialize<ModelRegistryState>(payload)!,
        _ => payload,
    };
}
