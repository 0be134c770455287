using System.Runtime.Intrinsics.X86;

namespace Lethe.Learning.Blas;

/// <summary>The instruction sets of the processor that matter for choosing OpenBLAS kernels.</summary>
/// <param name="Avx">AVX.</param>
/// <param name="Avx2Fma">AVX2 together with FMA3.</param>
/// <param name="Avx512">AVX-512 F, CD, BW, DQ and VL (what OpenBLAS's SkylakeX kernels use).</param>
/// <param name="Avx512Bf16">AVX-512 BF16 (a Cooper Lake or later core).</param>
/// <param name="Amd">Whether the vendor is AMD (OpenBLAS tunes its AVX2 kernels per vendor: Zen or Haswell).</param>
public readonly record struct ProcessorFeatures(bool Avx, bool Avx2Fma, bool Avx512, bool Avx512Bf16, bool Amd)
{
    /// <summary>The features of the processor this process runs on, as the runtime and CPUID report them.</summary>
    public static ProcessorFeatures Current { get; } = Read();

    private static ProcessorFeatures Read()
    {
        if (!X86Base.IsSupported) return default;
        var avx512 = Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512CD.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported;
        var (_, vendorB, vendorC, vendorD) = X86Base.CpuId(0, 0);
        var amd = vendorB == 0x68747541 && vendorD == 0x69746E65 && vendorC == 0x444D4163; // "AuthenticAMD"
        // CPUID leaf 7 sub-leaf 1, EAX bit 5: AVX512_BF16 (the runtime has no class for it).
        var bf16 = avx512 && X86Base.CpuId(0, 0).Eax >= 7 && (X86Base.CpuId(7, 1).Eax & (1 << 5)) != 0;
        return new ProcessorFeatures(System.Runtime.Intrinsics.X86.Avx.IsSupported, Avx2.IsSupported && Fma.IsSupported, avx512, bf16, amd);
    }
}
