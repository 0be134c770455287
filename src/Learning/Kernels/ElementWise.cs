using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lethe.Learning.Kernels;

/// <summary>
/// Element-wise steps of a layer that <see cref="TensorPrimitives"/> has no single operation for;
/// fused so each value is read once.
/// </summary>
public static class ElementWise
{
    /// <summary><c>values = max(values + bias, 0)</c>.</summary>
    public static void AddRelu(Span<float> values, ReadOnlySpan<float> bias)
    {
        if (bias.Length != values.Length) throw new ArgumentException("Bias and values differ in length.", nameof(bias));
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var b = ref MemoryMarshal.GetReference(bias);
        var i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var sum = Vector.LoadUnsafe(ref v, (nuint)i) + Vector.LoadUnsafe(ref b, (nuint)i);
            Vector.Max(sum, Vector<float>.Zero).StoreUnsafe(ref v, (nuint)i);
        }

        for (; i < values.Length; i++)
            Unsafe.Add(ref v, i) = MathF.Max(Unsafe.Add(ref v, i) + Unsafe.Add(ref b, i), 0f);
    }

    /// <summary><c>delta = activation &gt; 0 ? delta : 0</c>: the ReLU derivative applied to a delta.</summary>
    public static void MaskByPositive(Span<float> delta, ReadOnlySpan<float> activation)
    {
        if (activation.Length != delta.Length) throw new ArgumentException("Activation and delta differ in length.", nameof(activation));
        ref var d = ref MemoryMarshal.GetReference(delta);
        ref var a = ref MemoryMarshal.GetReference(activation);
        var i = 0;
        for (; i <= delta.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var positive = Vector.GreaterThan(Vector.LoadUnsafe(ref a, (nuint)i), Vector<float>.Zero);
            Vector.ConditionalSelect(positive, Vector.LoadUnsafe(ref d, (nuint)i), Vector<float>.Zero).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < delta.Length; i++)
        {
            if (Unsafe.Add(ref a, i) <= 0f) Unsafe.Add(ref d, i) = 0f;
        }
    }

    /// <summary>
    /// <c>sums[j] = Σ_r matrix[r * stride + j]</c> for r below <paramref name="rows"/>: column sums of a
    /// block of columns of a row-major matrix whose rows are <paramref name="stride"/> apart.
    /// </summary>
    public static void ColumnSums(ReadOnlySpan<float> matrix, int rows, int stride, Span<float> sums)
    {
        if (rows > 0 && matrix.Length < ((rows - 1) * stride) + sums.Length) throw new ArgumentException("Matrix smaller than rows x stride.", nameof(matrix));
        sums.Clear();
        for (var r = 0; r < rows; r++)
            TensorPrimitives.Add(sums, matrix.Slice(r * stride, sums.Length), sums);
    }
}
