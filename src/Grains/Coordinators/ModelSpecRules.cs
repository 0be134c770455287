using Lethe.Grains.Data;

namespace Lethe.Grains.Coordinators;

/// <summary>The checks a model spec must pass before anything is stored; each failure names its field.</summary>
internal static class ModelSpecRules
{
    public const int MaxShards = 64;
    public const int MaxSlices = 32;
    public const int MaxEpochsPerStage = 100;
    public const int MaxZipfUsers = 1_000_000;

    public static void Validate(ModelSpec spec, DatasetCatalog datasets)
    {
        if (spec is null) throw LetheException.Invalid("spec", "a model spec is required");
        if (spec.Dataset is null || !DatasetCatalog.Names.Contains(spec.Dataset))
            throw LetheException.Invalid("dataset", $"'{spec.Dataset}' is not a dataset; use {string.Join(" or ", DatasetCatalog.Names)}");
        if (spec.Shards is < 1 or > MaxShards) throw LetheException.Invalid("shards", $"{spec.Shards} is outside 1..{MaxShards}");
        if (spec.Slices is < 1 or > MaxSlices) throw LetheException.Invalid("slices", $"{spec.Slices} is outside 1..{MaxSlices}");
        if (!Enum.IsDefined(spec.Placement)) throw LetheException.Invalid("placement", "use user-affine or uniform");
        if (spec.EpochsPerStage is < 1 or > MaxEpochsPerStage) throw LetheException.Invalid("epochs_per_stage", $"{spec.EpochsPerStage} is outside 1..{MaxEpochsPerStage}");
        var available = datasets.Train(spec.Dataset).Count;
        if (spec.Records is < 1 || spec.Records > available) throw LetheException.Invalid("records", $"{spec.Records} is outside 1..{available}, the records of {spec.Dataset}");
        var records = spec.Records ?? available;
        if (records < spec.Shards) throw LetheException.Invalid("shards", $"{spec.Shards} shards for {records} records leaves shards empty");
        ValidateOwnership(spec.Ownership, records);
    }

    private static void ValidateOwnership(OwnershipSpec? ownership, int records)
    {
        if (ownership is null) throw LetheException.Invalid("ownership", "say who owns the records: zipf or explicit");
        switch (ownership.Kind)
        {
            case OwnershipKind.Zipf:
                if (ownership.Users is < 1 or > MaxZipfUsers) throw LetheException.Invalid("ownership.users", $"{ownership.Users} is outside 1..{MaxZipfUsers}");
                if (!(ownership.Exponent > 0 && double.IsFinite(ownership.Exponent))) throw LetheException.Invalid("ownership.exponent", "must be a positive number");
                if (ownership.Owners is not null) throw LetheException.Invalid("ownership.owners", "only explicit ownership lists owners");
                break;
            case OwnershipKind.Explicit:
                if (ownership.Owners is not { Count: > 0 } owners) throw LetheException.Invalid("ownership.owners", "explicit ownership needs at least one owner");
                var seen = new HashSet<int>();
                foreach (var (user, indices) in owners)
                {
                    if (!UserId.TryParse(user, out _, out var error)) throw LetheException.Invalid("ownership.owners", error!);
                    if (indices is not { Length: > 0 }) throw LetheException.Invalid("ownership.owners", "every owner needs at least one record");
                    foreach (var index in indices)
                    {
                        if ((uint)index >= (uint)records) throw LetheException.Invalid("ownership.owners", $"record {index} is outside 0..{records - 1}");
                        if (!seen.Add(index)) throw LetheException.Invalid("ownership.owners", $"record {index} has two owners");
                    }
                }

                break;
            default:
                throw LetheException.Invalid("ownership.kind", "use zipf or explicit");
        }
    }
}
