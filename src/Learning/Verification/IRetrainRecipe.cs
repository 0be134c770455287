using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Verification;

/// <summary>How to train a served model's kind from scratch: what the gold-standard check compares the served model with.</summary>
public interface IRetrainRecipe
{
    /// <summary>A model trained from scratch on <paramref name="records"/> of <paramref name="data"/>, every random choice derived from <paramref name="seed"/>.</summary>
    IClassifier Train(Dataset data, int[] records, long seed, CancellationToken cancellationToken = default);
}
