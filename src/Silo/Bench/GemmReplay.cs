using System.Diagnostics;
using Lethe.Learning.Blas;

namespace Lethe.Silo.Bench;

/// <summary>
/// Times recorded sequences of matrix products alone. Operand buffers are kept per shape and filled
/// (every page touched) before any timing, so a timed product never pays for first-touch page faults.
/// </summary>
internal sealed class GemmReplay
{
    private readonly Dictionary<GemmShape, (float[] A, float[] B, float[] C)> buffers = [];
    private readonly Random random = new(1);

    /// <summary>Seconds taken to issue every product of <paramref name="sequence"/> once, in order.</summary>
    public double Time(IReadOnlyList<GemmShape> sequence)
    {
        foreach (var shape in sequence) BuffersFor(shape);
        var clock = Stopwatch.StartNew();
        foreach (var shape in sequence)
        {
            var (a, b, c) = buffers[shape];
            Gemm.Multiply(shape.TransposeA, shape.TransposeB, shape.M, shape.N, shape.K, 1f, a, b, 0f, c);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private (float[] A, float[] B, float[] C) BuffersFor(GemmShape shape)
    {
        if (!buffers.TryGetValue(shape, out var operands))
        {
            operands = (Filled(shape.M * shape.K), Filled(shape.K * shape.N), Filled(shape.M * shape.N));
            buffers[shape] = operands;
        }

        return operands;
    }

    private float[] Filled(int length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++) values[i] = random.NextSingle() - 0.5f;
        return values;
    }
}
