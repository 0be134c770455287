using Lethe.Learning.Owners;
using Lethe.Learning.Verification;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.GoldCheck;

/// <summary>What <c>verify-gold</c> is asked to do: which method serves the deletions, how many users, on how many records.</summary>
internal sealed record GoldCheckSettings(string Method, int Users, int Records, long Seed, GoldStandardTolerances Tolerances);

/// <summary>
/// The gold-standard check on a model trained in-process: MNIST's first records owned by 100 Zipf(1.5)
/// users, a served model trained on them, users drawn by record count deleted one after another with the
/// chosen method, then <see cref="GoldStandard.Verify"/> against a model trained from scratch without them.
/// </summary>
internal static class GoldCheckRun
{
    public static GoldCheckOutput Run(MnistData data, GoldCheckSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        if (settings.Records > data.Train.Count)
            throw new ArgumentException($"--records {settings.Records:N0} is more than the {data.Train.Count:N0} training records.");
        var ownership = ZipfOwnership.Create(settings.Records, users: 100, exponent: 1.5, seed: settings.Seed);
        var owners = ownership.RecordCounts.Count(c => c > 0);
        if (settings.Users >= owners)
            throw new ArgumentException($"--users {settings.Users} leaves no one: only {owners} users own records among {settings.Records:N0}.");

        var retained = Enumerable.Range(0, settings.Records).ToArray();
        var served = ServedModel.Train(settings.Method, data.Train, retained, settings.Seed, cancellationToken);
        log($"served model: {served.Description} on {settings.Records:N0} records");
        var deleted = new List<int>();
        var deletions = new List<GoldCheckDeletion>();
        foreach (var user in ownership.DrawUsersByRecordCount(settings.Users, settings.Seed))
        {
            var forget = ownership.RecordsOf(user);
            var forgotten = forget.ToHashSet();
            retained = retained.Where(r => !forgotten.Contains(r)).ToArray();
            var report = served.Forget(data.Train, forget, retained, cancellationToken);
            deleted.AddRange(forget);
            deletions.Add(new GoldCheckDeletion(user, forget.Length, report.Total.TotalSeconds, report.Details, report.Note));
            log($"user {user} ({forget.Length:N0} records) deleted with {settings.Method} in {report.Total.TotalSeconds:F2} s");
        }

        log($"gold standard: trained from scratch on the {retained.Length:N0} retained records");
        var check = GoldStandard.Verify(
            data.Train, data.Test, retained, [.. deleted], served.Classifier, served.Recipe, settings.Seed, settings.Tolerances, cancellationToken);
        return GoldCheckOutput.From(settings, deletions, check);
    }
}
