namespace Lethe.Silo.Storage.Schema;

/// <summary>What a migration did: the scripts it applied (none when the schema was current) and the
/// schema version the database is at afterwards.</summary>
internal sealed record MigrationResult(int Version, IReadOnlyList<SchemaScript> Applied);
