using System.Diagnostics;
using Lethe.Learning.Blas;

namespace Lethe.Silo.Bench;

/// <summary>Times a recorded sequence of matrix products alone, on buffers of the same sizes.</summary>
internal static class GemmReplay
{
    /// <summary>Seconds taken to issue every product of <paramref name="sequence"/> in order, <paramref name="repeats"/> times over.</summary>
    public static double Time(IReadOnlyList<GemmShape> sequence, int repeats = 1)
    {
        var buffers = new Dictionary<GemmShape, (float[] A, float[] B, float[] C)>();
        var random = new Random(1);
        foreach (var shape in sequence.Distinct())
            buffers[shape] = (Filled(shape.M * shape.K, random), Filled(shape.K * shape.N, random), new float[shape.M * shape.N]);

        var clock = Stopwatch.StartNew();
        for (var r = 0; r < repeats; r++)
        {
            foreach (var shape in sequence)
            {
                var (a, b, c) = buffers[shape];
                Gemm.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, 1f, a, b, 0f, c);
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static float[] Filled(int length, Random random)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++) values[i] = random.NextSingle() - 0.5f;
        return values;
    }
}
