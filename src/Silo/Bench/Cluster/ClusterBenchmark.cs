using System.Diagnostics;
using Lethe.Grains;
using Lethe.Grains.Compute;
using Lethe.Grains.Coordinators;
using Lethe.Learning.Data;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;
using Lethe.Silo.Bench.Paper;

namespace Lethe.Silo.Bench.Cluster;

/// <summary>
/// <c>bench cluster</c>: deletions through the HTTP API of a silo running in this process, beside the
/// same work done in-process by Lethe's core in the same run. (a) Users drawn by record count forgotten
/// one at a time with <c>sisa</c>: Accepted-to-ModelsUpdated latency against the in-process replay of
/// the very same plans. (b) A burst of distinct users, drawn uniformly among a second model's owners, submitted at once: the time until all are served
/// against training the model from scratch, the replays it took, and whether every shard ends with the
/// bytes of training it from scratch without them.
/// </summary>
internal sealed class ClusterBenchmark(Dataset train, ClusterApi api, long seed, int? records, Action<string> log)
{
    private static readonly TimeSpan BurstPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>Both parts; <paramref name="singleSiloP50Seconds"/>, when given, is set beside the sequential figures and checked against.</summary>
    public async Task<ClusterReport> Run(int sequentialUsers, int burstUsers, int burstOwners, double? singleSiloP50Seconds, CancellationToken cancellationToken)
    {
        var sequential = await Sequential(sequentialUsers, cancellationToken) with { SingleSiloP50Seconds = singleSiloP50Seconds };
        var burst = await Burst(burstUsers, burstOwners, cancellationToken);
        return new ClusterReport(sequential, burst, ClusterBars.Check(sequential, burst));
    }

    /// <summary>Users drawn by record count forgotten one at a time, beside the same plans replayed in-process.</summary>
    public async Task<SequentialResult> Sequential(int count, CancellationToken cancellationToken)
    {
        var spec = Spec(100);
        var owners = ZipfOwnership.Create(Records, spec.Ownership.Users, spec.Ownership.Exponent, seed);
        var users = owners.DrawUsersByRecordCount(count, seed);
        await api.Train("bench-sequential", spec, log, cancellationToken);

        log("in-process: the same shards, trained here, to replay the same plans");
        var layout = ModelLayout.Build(spec, train.Count);
        var (shards, _) = TrainShards(spec, layout, new HashSet<int>());
        var latencies = new List<double>();
        var inProcess = new List<double>();
        foreach (var user in users)
        {
            var status = await api.Forget($"user-{user}", UnlearningMethod.Sisa, DeletionState.ModelsUpdated, cancellationToken);
            latencies.Add(status.UnlearnLatencySeconds!.Value);
            var records = owners.RecordsOf(user);
            var clock = Stopwatch.StartNew();
            foreach (var shard in status.ShardVersions["bench-sequential"].Keys) shards[shard] = shards[shard].Forget(train, records, cancellationToken: cancellationToken).Shard;
            inProcess.Add(clock.Elapsed.TotalSeconds);
            log($"user-{user} ({owners.RecordCounts[user]:N0} records): cluster {latencies[^1]:F2} s, in-process {inProcess[^1]:F2} s");
        }

        var model = await api.Model("bench-sequential", cancellationToken);
        var exact = model.Shards.All(s => s.WeightHash == shards[s.Index].WeightHash());
        return new SequentialResult(count, Quantile(latencies, 0.5), Quantile(latencies, 0.95), Quantile(inProcess, 0.5), Quantile(inProcess, 0.95),
            Quantile(latencies, 0.5) / Quantile(inProcess, 0.5), exact, latencies, inProcess);
    }

    private async Task<BurstResult> Burst(int count, int ownerCount, CancellationToken cancellationToken)
    {
        // A deletion is the user's in every model, so the burst's users are named apart from the sequential model's
        // (user-k there): explicit ownership with the same Zipf draw of records.
        var owners = ZipfOwnership.Create(Records, ownerCount, 1.5, seed);
        string Name(int user) => $"burst-user-{user}";
        var owning = Enumerable.Range(0, ownerCount).Where(u => owners.RecordCounts[u] > 0).ToArray();
        var named = owning.ToDictionary(Name, u => owners.RecordsOf(u));
        var spec = Spec(ownerCount) with { Ownership = new OwnershipSpec(OwnershipKind.Explicit, 0, 0, named) };
        // Drawn uniformly among the owners (requests come per user): drawn by record count, 200 of 1,000 Zipf(1.5) users
        // would hold 95% of the records and leave a model whose training from scratch is no reference.
        if (count > owning.Length) throw new ArgumentException($"--burst {count}: only {owning.Length} of the {ownerCount} owners own records.");
        Seeds.Generator(seed, Seeds.Purpose.Requests).Shuffle(owning);
        var users = owning[..count];
        await api.Train("bench-burst", spec, log, cancellationToken);
        var before = await api.Model("bench-burst", cancellationToken);

        log($"burst: {count} deletions submitted at once");
        var deletions = await Task.WhenAll(users.Select(user => api.Submit(Name(user), UnlearningMethod.Sisa, cancellationToken)));
        // Each at most twice a second: 200 waiters polling as often as the sequential part's one would load the silo they measure.
        var served = await Task.WhenAll(deletions.Select(d => api.WaitFor(d.Id, DeletionState.ModelsUpdated, cancellationToken, BurstPoll)));
        var seconds = (served.Max(s => s.Transitions[DeletionState.ModelsUpdated]) - served.Min(s => s.Transitions[DeletionState.Accepted])).TotalSeconds;
        var after = await api.Model("bench-burst", cancellationToken);
        var replays = after.Shards.Sum(s => s.Replays) - before.Shards.Sum(s => s.Replays);
        log($"burst: every deletion served {seconds:F2} s after the first was accepted, in {replays} shard updates");

        log("in-process: the model trained from scratch without the burst's users (the reference bytes and time)");
        var forgotten = owners.RecordsOf(users).ToHashSet();
        var (reference, fromScratch) = TrainShards(spec, ModelLayout.Build(spec, train.Count), forgotten);
        var different = after.Shards.Where(s => s.WeightHash != reference[s.Index].WeightHash()).Select(s => s.Index).ToList();
        foreach (var shard in different)
            log($"burst: shard {shard} serves {after.Shards[shard].Records} records, {after.Shards[shard].WeightHash} ({after.Shards[shard].Replays} replays); from scratch {reference[shard].RecordCount}, {reference[shard].WeightHash()}");
        return new BurstResult(count, ownerCount, forgotten.Count, seconds, fromScratch, seconds / fromScratch, replays, different.Count == 0);
    }

    private (Shard[] Shards, double Seconds) TrainShards(ModelSpec spec, ModelLayout layout, IReadOnlySet<int> forgotten)
    {
        var options = ModelRecipe.ShardingOptions(spec);
        var clock = Stopwatch.StartNew();
        var shards = Enumerable.Range(0, spec.Shards).Select(shard => Shard.Train(train, shard, layout.Slices(shard, forgotten), options, spec.Seed)).ToArray();
        return (shards, clock.Elapsed.TotalSeconds);
    }

    private ModelSpec Spec(int users)
    {
        var defaults = new ShardingOptions();
        return new ModelSpec("mnist", records, defaults.Shards, defaults.Slices, Placement.UserAffine, seed, null, new OwnershipSpec(OwnershipKind.Zipf, users, 1.5, null));
    }

    private int Records => records ?? train.Count;

    private static double Quantile(IReadOnlyList<double> values, double q) => SequentialUserDeletions.Percentile([.. values.Order()], q);
}
