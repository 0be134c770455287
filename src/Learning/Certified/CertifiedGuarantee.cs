namespace Lethe.Learning.Certified;

/// <summary>
/// What a <see cref="CertifiedModel"/> certifies: its output is (ε, δ)-indistinguishable from a model
/// trained from scratch on its records alone (Guo et al., Definition 1), given the bound β on the gradient
/// its weights leave on that model's objective.
/// </summary>
/// <param name="Epsilon">ε = c β / σ.</param>
/// <param name="Delta">δ.</param>
/// <param name="GradientResidualBound">β, accumulated over the deletions since the model was last trained from scratch (its own training residual included).</param>
public sealed record CertifiedGuarantee(double Epsilon, double Delta, double GradientResidualBound);
