using Lethe.Grains.Deletions;
using Lethe.Grains.Shards;
using Lethe.Grains.Users;

namespace Lethe.Grains.Coordinators;

/// <summary>Training a model: owners and records placed, users told their records, shards given theirs; then waiting for every shard.</summary>
public sealed partial class CoordinatorGrain
{
    private const int ParallelUserCalls = 32;

    private async Task CreateInBackground()
    {
        try
        {
            var spec = State.Spec!;
            if (!State.Assigned)
            {
                await Assign(spec);
                State.Assigned = true;
                State.Spec = WithoutOwners(spec); // the user grains hold the owners now, and a purge takes a user's id with them
                await state.Write();
            }

            await Reconcile(spec);
        }
        catch (Exception e) when (e is LetheException or InvalidDataException or IOException or ArgumentException)
        {
            State.State = ModelState.Failed;
            State.FailureReason = e.Message;
            await state.Write();
            LogFailed(logger, ModelId, e);
        }
    }

    // Users first (a user deleted meanwhile is found and left out), then the shards, each with its records minus those of deleted users.
    private async Task Assign(ModelSpec spec)
    {
        var layout = ModelLayout.Build(spec, datasets.Train(spec.Dataset).Count);
        var excluded = new HashSet<int>();
        using var throttle = new SemaphoreSlim(ParallelUserCalls);
        await Task.WhenAll(layout.Users().Select(async user =>
        {
            await throttle.WaitAsync();
            try
            {
                await GrainFactory.GetGrain<IUserGrain>(user.User).Assign(ModelId, user.RecordsByShard);
                // Checked after the assignment: a deletion accepted before it is seen here, one accepted after it reads this model too.
                var deletion = await GrainFactory.GetGrain<IDeletionGrain>(DeletionId.ForUser(UserId.Parse(user.User)).Value).GetStatus();
                if (deletion is not null)
                {
                    lock (excluded) excluded.UnionWith(user.RecordsByShard.Values.SelectMany(r => r));
                    await GrainFactory.GetGrain<IUserGrain>(user.User).Purge();
                }
            }
            finally
            {
                throttle.Release();
            }
        }));

        await Task.WhenAll(Enumerable.Range(0, spec.Shards).Select(shard =>
            Shard(shard).Train(new ShardAssignment(ModelId, shard, WithoutOwners(spec), layout.Slices(shard, excluded)))));
    }

    // A shard whose report was lost (its silo died after the write) is read back; one not trained yet is resumed.
    private async Task Reconcile(ModelSpec spec)
    {
        foreach (var index in Enumerable.Range(0, spec.Shards).Where(i => !State.Shards.ContainsKey(i)))
        {
            var status = await Shard(index).GetStatus();
            if (status.Trained) await ShardUpdated(new ShardVersion(index, status.Version, status.Exact, status.WeightHash, status.Records, "train", 0, 0, 0, status.Engine), []);
            else await Shard(index).Resume();
        }
    }
}
