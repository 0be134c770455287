using Lethe.Learning.Audits;
using Lethe.Learning.Certified;
using Lethe.Learning.Evaluation;
using Lethe.Learning.Owners;
using Lethe.Learning.Unlearning;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.Bench.Paper;

/// <summary>One deletion of the certified sequence.</summary>
internal sealed record CertifiedDeletion(
    int User, int Records, double Seconds, double Epsilon, double Delta, double NewtonStepEpsilon, double GradientResidualBound, bool Retrained);

/// <summary>Users forgotten one after another from one certified model, and the model then beside the same model trained from scratch.</summary>
internal sealed record CertifiedSequence(
    int Users, int RecordsForgotten, int NewtonSteps, int Retrainings, double TestAccuracy, double FromScratchTestAccuracy,
    double KlToFromScratch, IReadOnlyList<CertifiedDeletion> Deletions);

/// <summary>
/// The lightest users (the deletions certified removal is made for: a few records each) forgotten one
/// after another from the certified model trained on every record, so the Newton steps stand and their
/// bounds add up until the budget forces training from scratch.
/// </summary>
internal static class CertifiedUserDeletions
{
    public static CertifiedSequence Run(MnistData data, CertifiedModel model, Ownership ownership, int users, long seed, Action<string> log)
    {
        var removal = UnlearningMethods.CreateCertified();
        var retained = data.Train.AllIndices();
        var deletions = new List<CertifiedDeletion>();
        foreach (var user in ownership.UsersByRecordCount().Reverse().Where(u => ownership.RecordCounts[u] > 0).Take(users))
        {
            var forget = ownership.RecordsOf(user);
            var forgotten = forget.ToHashSet();
            retained = retained.Where(r => !forgotten.Contains(r)).ToArray();
            var result = removal.Forget(model, data.Train, forget, retained);
            model = result.Model;
            var details = result.Report.Details;
            deletions.Add(new CertifiedDeletion(
                user, forget.Length, result.Report.Total.TotalSeconds, result.Guarantee.Epsilon, result.Guarantee.Delta, details["newton_step_epsilon"], result.Guarantee.GradientResidualBound, result.Retrained));
            log($"user {user} ({forget.Length} records): {result.Report.Total.TotalSeconds:F2} s, epsilon {result.Guarantee.Epsilon:G3}{(result.Retrained ? ", trained again from scratch" : "")}");
        }

        var fromScratch = CertifiedModel.Train(data.Train, retained, model.Options, seed);
        return new CertifiedSequence(
            deletions.Count, deletions.Sum(d => d.Records), deletions.Count(d => !d.Retrained), deletions.Count(d => d.Retrained),
            Evaluator.Evaluate(model, data.Test).Accuracy, Evaluator.Evaluate(fromScratch, data.Test).Accuracy,
            PredictionDivergence.MeanKl(fromScratch, model, data.Test), deletions);
    }
}
