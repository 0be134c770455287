using Microsoft.Extensions.Options;
using Npgsql;

namespace Lethe.Silo.Storage;

/// <summary>Rejects a store configuration that cannot work, naming the setting.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        switch (options.Provider)
        {
            case StoreProvider.Sqlite:
                if (string.IsNullOrWhiteSpace(options.Path))
                    return ValidateOptionsResult.Fail($"{StoreOptions.SectionName}:Path must name the SQLite file.");
                return ValidateOptionsResult.Success;
            case StoreProvider.Postgres:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                    return ValidateOptionsResult.Fail($"{StoreOptions.SectionName}:ConnectionString is required when {StoreOptions.SectionName}:Provider is postgres.");
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException e)
                {
                    return ValidateOptionsResult.Fail($"{StoreOptions.SectionName}:ConnectionString is not a valid PostgreSQL connection string: {e.Message}");
                }
                return ValidateOptionsResult.Success;
            default:
                return ValidateOptionsResult.Fail($"{StoreOptions.SectionName}:Provider must be sqlite or postgres.");
        }
    }
}
