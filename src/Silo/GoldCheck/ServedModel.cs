using Lethe.Learning.Certified;
using Lethe.Learning.Data;
using Lethe.Learning.Models;
using Lethe.Learning.Unlearning;
using Lethe.Learning.Verification;
using Lethe.Silo.Experiments;

namespace Lethe.Silo.GoldCheck;

/// <summary>The model <c>verify-gold</c> serves and deletes from: an MLP with one of its methods, or a certified model.</summary>
internal abstract class ServedModel
{
    /// <summary>The model's current predictions.</summary>
    public abstract IClassifier Classifier { get; }

    /// <summary>How the gold standard of this kind is trained.</summary>
    public abstract IRetrainRecipe Recipe { get; }

    /// <summary>What the served model is, for the log.</summary>
    public abstract string Description { get; }

    /// <summary>Trains the model for <paramref name="method"/> on <paramref name="records"/>.</summary>
    public static ServedModel Train(string method, Dataset data, int[] records, long seed, CancellationToken cancellationToken) =>
        method == UnlearningMethods.Certified
            ? new Certified(CertifiedModel.Train(data, records, seed: seed, cancellationToken: cancellationToken))
            : new Mlp(UnlearningMethods.Create(method), Recipes.TrainBase(data, records, seed, cancellationToken: cancellationToken), seed);

    /// <summary>Deletes <paramref name="forget"/>, leaving <paramref name="retain"/>, and replaces the served model with the result.</summary>
    public abstract UnlearningReport Forget(Dataset data, int[] forget, int[] retain, CancellationToken cancellationToken);

    private sealed class Mlp(IUnlearningMethod method, Lethe.Learning.Models.Mlp model, long seed) : ServedModel
    {
        private Lethe.Learning.Models.Mlp current = model;

        public override IClassifier Classifier => new MlpClassifier(current);

        public override IRetrainRecipe Recipe => MlpRecipe.Default;

        public override string Description => "the default MLP, 5 epochs of Adam";

        public override UnlearningReport Forget(Dataset data, int[] forget, int[] retain, CancellationToken cancellationToken)
        {
            var result = method.Unlearn(current, data, forget, retain, seed, cancellationToken);
            current = result.Model;
            return result.Report;
        }
    }

    private sealed class Certified(CertifiedModel model) : ServedModel
    {
        private CertifiedModel current = model;

        public override IClassifier Classifier => current;

        public override IRetrainRecipe Recipe => new CertifiedRecipe(current.Options);

        public override string Description => "certified softmax regression";

        public override UnlearningReport Forget(Dataset data, int[] forget, int[] retain, CancellationToken cancellationToken)
        {
            var result = UnlearningMethods.CreateCertified().Forget(current, data, forget, retain, cancellationToken);
            current = result.Model;
            return result.Report;
        }
    }
}
