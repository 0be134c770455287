using Lethe.Grains.Audit;
using Lethe.Grains.Deletions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Lethe.Silo.Storage.Audit;

namespace Lethe.Silo.Storage;

/// <summary>Wires the store into a silo from <c>Lethe:Store</c>.</summary>
internal static class StoreSiloBuilderExtensions
{
    /// <summary>Orleans ADO.NET grain storage named <see cref="StoreOptions.GrainStorageName"/>, ADO.NET
    /// reminders and the audit log on the configured store; clustering through PostgreSQL (on the
    /// embedded SQLite default the host uses localhost clustering); the schema migrated at start when configured.</summary>
    /// <exception cref="OptionsValidationException">The configuration cannot work (named in the message).</exception>
    public static ISiloBuilder UseLetheStore(this ISiloBuilder builder, IConfiguration configuration)
    {
        var section = configuration.GetSection(StoreOptions.SectionName);
        var options = Read(section);
        var services = builder.Services;
        services.AddOptions<StoreOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();
        services.AddSingleton(provider => StoreDatabase.Open(provider.GetRequiredService<IOptions<StoreOptions>>().Value));
        services.AddSingleton<IAuditStore, AuditLogStore>();
        if (options.Provider == StoreProvider.Sqlite)
        {
            services.AddSingleton<Sqlite.SqliteScrubber>();
            services.AddSingleton<IStoreScrubber>(provider => provider.GetRequiredService<Sqlite.SqliteScrubber>());
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<Sqlite.SqliteScrubber>());
        }
        if (options.ShouldMigrateOnStart) services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StoreMigrationOnStart>();

        // Orleans' binary serializer, not the provider's default JSON: a shard's checkpoints are megabytes of floats, which JSON would carry as base64.
        builder.AddAdoNetGrainStorage(StoreOptions.GrainStorageName, storage => storage.Configure<StoreDatabase, Serializer>((o, database, serializer) =>
        {
            o.Invariant = database.OrleansInvariant;
            o.DataSource = database.DataSource;
            o.DeleteStateOnClear = true;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        builder.UseAdoNetReminderService(reminders => reminders.Configure<StoreDatabase>((o, database) =>
        {
            o.Invariant = database.OrleansInvariant;
            o.DataSource = database.DataSource;
        }));
        if (options.Provider == StoreProvider.Postgres)
        {
            builder.UseAdoNetClustering(clustering => clustering.Configure<StoreDatabase>((o, database) =>
            {
                o.Invariant = database.OrleansInvariant;
                o.DataSource = database.DataSource;
            }));
        }

        return builder;
    }

    /// <summary>Binds and validates the store options now: the provider decides what gets registered.</summary>
    internal static StoreOptions Read(IConfigurationSection section)
    {
        StoreOptions options;
        try
        {
            options = section.Get<StoreOptions>() ?? new StoreOptions();
        }
        catch (InvalidOperationException e)
        {
            var provider = section[nameof(StoreOptions.Provider)];
            var failure = provider is not null && !Enum.TryParse<StoreProvider>(provider, ignoreCase: true, out _)
                ? $"{StoreOptions.SectionName}:Provider must be sqlite or postgres."
                : e.Message;
            throw new OptionsValidationException(Options.DefaultName, typeof(StoreOptions), [failure]);
        }

        var result = new StoreOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(StoreOptions), result.Failures);
        return options;
    }
}
