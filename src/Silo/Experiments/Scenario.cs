using Lethe.Learning.Data;
using Lethe.Learning.Owners;

namespace Lethe.Silo.Experiments;

/// <summary>
/// Who owns what, whose deletion is asked for, and what that leaves; and the records the membership
/// attack sets against the forget set (null: the test set).
/// </summary>
internal sealed record Scenario(
    string Name, string Description, Ownership Ownership, int[] Users, int[] Forget, int[] Retain, int? ForgottenClass, Dataset? AttackNonMembers = null)
{
    /// <summary>Users of the seed experiments: 100, Zipf(1.5), seeded.</summary>
    public static Ownership ZipfUsers(Dataset train, long seed) => ZipfOwnership.Create(train.Count, users: 100, exponent: 1.5, seed: seed);

    /// <summary>Mixed ownership: the heaviest of 100 Zipf(1.5) users asks to be forgotten.</summary>
    public static Scenario Mixed(Dataset train, long seed)
    {
        var ownership = ZipfUsers(train, seed);
        return ForUsers("mixed", "the heaviest of 100 Zipf(1.5) users", ownership, [ownership.UsersByRecordCount()[0]], null);
    }

    /// <summary>Exclusive class: one user owns every digit-0 record and asks to be forgotten.</summary>
    public static Scenario Exclusive(Dataset train, long seed, int digit = 0)
    {
        var ownership = ZipfOwnership.WithExclusiveOwner(ZipfUsers(train, seed), train.Labels, digit);
        return ForUsers("exclusive", $"the owner of every digit-{digit} record", ownership, [ownership.UserCount - 1], digit);
    }

    /// <summary>The scenario in which <paramref name="users"/> of <paramref name="ownership"/> are forgotten.</summary>
    public static Scenario ForUsers(string name, string description, Ownership ownership, int[] users, int? forgottenClass) =>
        new(name, description, ownership, users, ownership.RecordsOf(users), ownership.RecordsNotOf(users), forgottenClass);
}
