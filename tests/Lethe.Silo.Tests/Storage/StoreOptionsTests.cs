using Lethe.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Lethe.Silo.Tests.Storage;

public sealed class StoreOptionsTests
{
    [Fact]
    public void The_embedded_default_is_a_sqlite_file_in_the_working_directory_migrated_at_start()
    {
        var options = Read([]);
        Assert.Equal((StoreProvider.Sqlite, "lethe.db", true), (options.Provider, options.Path, options.ShouldMigrateOnStart));
    }

    [Fact]
    public void Postgres_is_chosen_by_name_and_migrates_at_start_only_when_asked()
    {
        var options = Read(new() { ["Lethe:Store:Provider"] = "postgres", ["Lethe:Store:ConnectionString"] = "Host=127.0.0.1;Username=lethe" });
        Assert.Equal((StoreProvider.Postgres, false), (options.Provider, options.ShouldMigrateOnStart));
        Assert.True(Read(new() { ["Lethe:Store:Provider"] = "Postgres", ["Lethe:Store:ConnectionString"] = "Host=h", ["Lethe:Store:MigrateOnStart"] = "true" }).ShouldMigrateOnStart);
    }

    [Fact]
    public void A_configuration_that_cannot_work_is_refused_naming_the_setting()
    {
        var missing = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Lethe:Store:Provider"] = "postgres" }));
        Assert.Contains("Lethe:Store:ConnectionString", missing.Message, StringComparison.Ordinal);
        var malformed = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Lethe:Store:Provider"] = "postgres", ["Lethe:Store:ConnectionString"] = "Nonsense=1" }));
        Assert.Contains("Lethe:Store:ConnectionString", malformed.Message, StringComparison.Ordinal);
        var emptyPath = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Lethe:Store:Path"] = " " }));
        Assert.Contains("Lethe:Store:Path", emptyPath.Message, StringComparison.Ordinal);
        var provider = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Lethe:Store:Provider"] = "mysql" }));
        Assert.Contains("Lethe:Store:Provider", provider.Message, StringComparison.Ordinal);
    }

    private static StoreOptions Read(Dictionary<string, string?> values) =>
        StoreSiloBuilderExtensions.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(StoreOptions.SectionName));
}
