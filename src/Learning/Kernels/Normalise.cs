using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Lethe.Learning.Kernels;

/// <summary>Pixel bytes to model inputs in one pass: <c>destination[i] = pixels[i] * scale + shift</c>.</summary>
public static class Normalise
{
    /// <summary>Writes <c>pixels[i] * scale + shift</c> to <paramref name="destination"/>.</summary>
    /// <remarks>
    /// TensorPrimitives' byte-to-float conversion followed by a multiply and an add costs three passes;
    /// widening 32 bytes at a time and fusing the affine map is several times faster on a batch.
    /// </remarks>
    public static void Bytes(ReadOnlySpan<byte> pixels, float scale, float shift, Span<float> destination)
    {
        if (destination.Length < pixels.Length) throw new ArgumentException("Destination shorter than the pixels.", nameof(destination));
        ref var source = ref MemoryMarshal.GetReference(pixels);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scales = Vector256.Create(scale);
            var shifts = Vector256.Create(shift);
            for (; i <= pixels.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var bytes = Vector256.LoadUnsafe(ref source, (nuint)i);
                var (low, high) = Vector256.Widen(bytes);
                Store(low, scales, shifts, ref target, i);
                Store(high, scales, shifts, ref target, i + Vector256<ushort>.Count);
            }
        }

        for (; i < pixels.Length; i++) Unsafe.Add(ref target, i) = (Unsafe.Add(ref source, i) * scale) + shift;
    }

    private static void Store(Vector256<ushort> words, Vector256<float> scales, Vector256<float> shifts, ref float target, int offset)
    {
        var (low, high) = Vector256.Widen(words);
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(low), scales, shifts).StoreUnsafe(ref target, (nuint)offset);
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(high), scales, shifts).StoreUnsafe(ref target, (nuint)(offset + Vector256<uint>.Count));
    }
}
