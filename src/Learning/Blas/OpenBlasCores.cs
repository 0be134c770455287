namespace Lethe.Learning.Blas;

/// <summary>
/// OpenBLAS's kernel families (the names <c>openblas_get_corename</c> returns and
/// <c>OPENBLAS_CORETYPE</c> accepts) and which one suits a processor.
/// </summary>
public static class OpenBlasCores
{
    /// <summary>
    /// Kernels for processors without AVX: what a DYNAMIC_ARCH OpenBLAS falls back to when it does
    /// not know the processor (Prescott for an unknown Intel core), several times slower than the
    /// processor could be.
    /// </summary>
    public static readonly IReadOnlySet<string> Generic = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Unknown", "Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn", "Dunnington", "Nehalem",
        "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Bobcat",
    };

    /// <summary>Whether <paramref name="core"/> is one of the <see cref="Generic"/> kernels.</summary>
    public static bool IsGeneric(string core) => Generic.Contains(core);

    /// <summary>The best kernel OpenBLAS 0.3.21 has for a processor with <paramref name="features"/>, or null below AVX.</summary>
    public static string? BestFor(ProcessorFeatures features) => features switch
    {
        { Avx512: true, Avx512Bf16: true } => "Cooperlake",
        { Avx512: true } => "SkylakeX",
        { Avx2Fma: true, Amd: true } => "Zen",
        { Avx2Fma: true } => "Haswell",
        { Avx: true } => "Sandybridge",
        _ => null,
    };

    /// <summary>
    /// The kernel to load instead of <paramref name="chosen"/>, or null to keep it: a replacement only
    /// when OpenBLAS fell back to a generic kernel on a processor with AVX2 and FMA or AVX-512.
    /// </summary>
    public static string? Replacement(string chosen, ProcessorFeatures features) =>
        IsGeneric(chosen) && (features.Avx512 || features.Avx2Fma) ? BestFor(features) : null;
}
