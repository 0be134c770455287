namespace Lethe.Learning.Kernels;

/// <summary>Standard normal samples from a seeded <see cref="Random"/>, by the Box-Muller transform.</summary>
public static class GaussianNoise
{
    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) samples drawn from <paramref name="random"/>.</summary>
    public static void Fill(Random random, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (var i = 0; i < destination.Length; i += 2)
        {
            // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
            var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            var angle = 2.0 * Math.PI * random.NextDouble();
            destination[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < destination.Length) destination[i + 1] = (float)(radius * Math.Sin(angle));
        }
    }
}
