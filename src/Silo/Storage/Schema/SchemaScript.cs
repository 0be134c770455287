namespace Lethe.Silo.Storage.Schema;

/// <summary>One versioned schema script (<c>NNNN_name.sql</c>), applied once per database.</summary>
internal sealed record SchemaScript(int Version, string Name, string Sql);
