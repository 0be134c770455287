using Lethe.Learning.Certified;
using Lethe.Learning.Data;
using Lethe.Learning.Models;

namespace Lethe.Learning.Verification;

/// <summary>A <see cref="CertifiedModel"/> trained from scratch with <paramref name="Options"/>.</summary>
public sealed record CertifiedRecipe(CertifiedOptions Options) : IRetrainRecipe
{
    /// <inheritdoc />
    public IClassifier Train(Dataset data, int[] records, long seed, CancellationToken cancellationToken = default) =>
        CertifiedModel.Train(data, records, Options, seed, cancellationToken);
}
