using Lethe.Silo.Storage.Schema;
using Microsoft.Extensions.Logging;

namespace Lethe.Silo.Storage;

/// <summary>Brings the store's schema up to date as the silo starts, before membership, reminders and
/// grain storage read their queries (<c>Lethe:Store:MigrateOnStart</c>).</summary>
internal sealed partial class StoreMigrationOnStart(StoreDatabase database, ILogger<StoreMigrationOnStart> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StoreMigrationOnStart), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var result = await new SchemaMigrator(database).MigrateAsync(cancellationToken);
        LogMigrated(database.Provider, result.Version, result.Applied.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store ({Provider}) at schema version {Version}; {Applied} scripts applied at start")]
    private partial void LogMigrated(StoreProvider provider, int version, int applied);
}
