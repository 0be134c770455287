using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Owners;
using Lethe.Learning.Sharding;
using Lethe.Learning.Training;
using Lethe.Learning.Unlearning;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>
/// The seed paper's three Zipf runtime experiments: how long each method takes as the problem changes;
/// <c>auto</c> chooses by a cost model measured just before each point, and its replays are checked
/// against shards trained from scratch.
/// </summary>
internal sealed class RuntimeExperiments(MnistData data, long seed, Action<string> log)
{
    private const int SubsetStream = 1;

    /// <summary>A fixed 100 records (one user's) forgotten while the dataset grows from 10k to 60k records.</summary>
    public IReadOnlyList<RuntimePoint> GrowingDataset(int forgotten = 100)
    {
        var permutation = data.Train.AllIndices();
        Seeds.Generator(seed, Seeds.Purpose.Sampling, SubsetStream).Shuffle(permutation);
        var points = new List<RuntimePoint>();
        for (var size = 10_000; size <= data.Train.Count; size += 10_000)
        {
            var subset = data.Train.Subset(permutation.AsSpan(0, size));
            var owners = (int[])Scenario.ZipfUsers(subset, seed).OwnerOf.Clone();
            var extraUser = owners.Max() + 1;
            var picked = subset.AllIndices();
            Seeds.Generator(seed, Seeds.Purpose.Requests, size).Shuffle(picked);
            foreach (var record in picked.AsSpan(0, forgotten)) owners[record] = extraUser;
            var ownership = new Ownership(owners, extraUser + 1);
            var baseModel = Recipes.TrainBase(subset, subset.AllIndices(), seed);
            var sharded = ShardedModel.Train(subset, ownership, new ShardingOptions(), seed);
            points.Add(Measure(subset, size, baseModel, sharded, ownership.RecordsOf(extraUser), ownership.RecordsNotOf(extraUser)));
        }

        return points;
    }

    /// <summary>Users drawn by record count forgotten together until a share of 1% to 90% of the records is reached.</summary>
    public IReadOnlyList<RuntimePoint> GrowingShare(Mlp baseModel, ShardedModel sharded, Ownership ownership, IEnumerable<double> shares)
    {
        var order = ownership.DrawUsersByRecordCount(ownership.RecordCounts.Count(c => c > 0), seed);
        return shares.Select(share =>
        {
            var users = UsersFilling(ownership, order, share * data.Train.Count);
            var forget = ownership.RecordsOf(users);
            return Measure(data.Train, (double)forget.Length / data.Train.Count, baseModel, sharded, forget, ownership.RecordsNotOf(users));
        }).ToArray();
    }

    /// <summary>The K heaviest users forgotten together, K = 1 .. users - 1.</summary>
    public IReadOnlyList<RuntimePoint> TopUsers(Mlp baseModel, ShardedModel sharded, Ownership ownership, IEnumerable<int> ks)
    {
        var heaviest = ownership.UsersByRecordCount();
        return ks.Select(k => Measure(data.Train, k, baseModel, sharded, ownership.RecordsOf(heaviest[..k]), ownership.RecordsNotOf(heaviest[..k]))).ToArray();
    }

    /// <summary>Greedily takes users in <paramref name="order"/> whose records still fit under <paramref name="target"/>.</summary>
    private static int[] UsersFilling(Ownership ownership, int[] order, double target)
    {
        var chosen = new List<int>();
        long total = 0;
        foreach (var user in order)
        {
            if (total + ownership.RecordCounts[user] > target) continue;
            chosen.Add(user);
            total += ownership.RecordCounts[user];
        }

        return [.. chosen];
    }

    /// <summary>
    /// Times every method forgetting <paramref name="forget"/> by <see cref="RepeatedTiming"/>'s rule (the median of
    /// 5 or 7 runs each, as many as the samples the cheaper of retrain and sisa trains set); the sharded methods leave
    /// <paramref name="sharded"/> as it was.
    /// </summary>
    private RuntimePoint Measure(Dataset dataset, double x, Mlp baseModel, ShardedModel sharded, int[] forget, int[] retain)
    {
        RepeatedTiming.SettleHeap();
        var costs = DeletionCostModel.Measure(dataset, sharded.Options, Recipes.RetrainDefaults, seed);
        var plan = sharded.Plan(forget);
        var predicted = costs.Predict(plan.Shards, retain.Length);
        var cheaperPathSamples = Math.Min(plan.SamplesToTrain, (long)Recipes.Base.Epochs * retain.Length);
        var auto = new Auto(costs);
        ShardedUnlearningResult? autoResult = null;
        var choosing = new List<double>();
        (string, Action) Whole(string method)
        {
            var unlearning = UnlearningMethods.Create(method);
            return (method, () => unlearning.Unlearn(baseModel, dataset, forget, retain, seed));
        }

        // auto runs between the two exact paths it is judged against, so each round times the three at nearly the same moment
        // and, rounds alternating in direction, it follows each of them as often. The approximate methods stand at the ends,
        // which run twice in a row where one round turns into the next.
        var runs = RepeatedTiming.Run(
        [
            Whole("fisher-scrub"),
            Whole("retrain"),
            ("auto", () =>
            {
                var unlearned = auto.Unlearn(sharded, forget, seed);
                autoResult ??= unlearned;
                choosing.Add(unlearned.Report.Phases.Single(p => p.Name == "choose").Duration.TotalSeconds);
            }),
            ("sisa", () => new Sisa().Unlearn(sharded, forget, seed)),
            Whole("neggrad-ft"), Whole("fisher-noise"),
        ], RepeatedTiming.RunsFor(cheaperPathSamples));
        double Median(string method) => RepeatedTiming.Median(runs[method]);
        var result = autoResult!;
        bool? exact = result.Replay is { } replay ? ReplayCheck.MatchesFromScratch(result.Sharded!, replay) : null;

        var point = new RuntimePoint(x, forget.Length, retain.Length, Median("retrain"), Median("fisher-scrub"), Median("neggrad-ft"), Median("fisher-noise"), Median("sisa"),
            Median("auto"), result.Path.ToString().ToLowerInvariant(), exact, predicted.ReplaySeconds, predicted.RetrainSeconds, costs, runs, RepeatedTiming.Median(choosing));
        log($"x={x:G4}: {forget.Length:N0} forgotten; retrain {point.Retrain:F3} s (predicted {predicted.RetrainSeconds:F3}), fisher-scrub {point.FisherScrub:F3} s, " +
            $"neggrad-ft {point.NegGradFt:F3} s, fisher-noise {point.FisherNoise:F3} s, sisa {point.Sisa:F3} s (predicted {predicted.ReplaySeconds:F3}), " +
            $"auto {point.Auto:F3} s (plan and choice {point.AutoChooseSeconds * 1000:F2} ms, {point.AutoPath}{(exact is { } same ? same ? ", byte-identical" : ", DIFFERENT" : "")}); median of {runs["auto"].Count}");
        return point;
    }
}
