namespace Lethe.Grains.Tests;

[Collection(GrainSilos.Name)]
public sealed class AutoMethodTests
{
    private static readonly ModelSpec Spec = new("mnist", 2400, 2, 3, Placement.UserAffine, 9, 2, new OwnershipSpec(OwnershipKind.Zipf, 12, 1.5, null));

    [Theory]
    [InlineData("00:10:00", UnlearningMethod.Sisa)]          // the replay's predicted seconds are well within ten minutes
    [InlineData("00:00:00.001", UnlearningMethod.ScrubThenSisa)] // no replay ends within a millisecond: scrub first, replay after
    public async Task Auto_replays_within_the_SLA_and_scrubs_first_beyond_it(string sla, UnlearningMethod expected)
    {
        await using var silos = await GrainCluster.StartAsync(1, everySilo: new Dictionary<string, string?> { ["Lethe:Deletions:Sla"] = sla });
        var model = silos.Grains.GetGrain<ICoordinatorGrain>("auto");
        await model.Create(Spec);
        await GrainCluster.Until(model.GetStatus, s => s.State == ModelState.Ready, TimeSpan.FromMinutes(1), "model ready");

        var user = UserId.Parse("user-3");
        var deletion = silos.Grains.GetGrain<IDeletionGrain>(DeletionId.ForUser(user).Value);
        await deletion.Submit(user, UnlearningMethod.Auto);
        var done = await GrainCluster.Until(deletion.GetStatus, s => s!.IsFinished, TimeSpan.FromMinutes(1), "deletion finished");

        Assert.Equal(DeletionState.Completed, done!.State);
        Assert.Equal(expected, done.ResolvedMethod);
        Assert.True(done.Exact); // both end with the exact model
    }
}
