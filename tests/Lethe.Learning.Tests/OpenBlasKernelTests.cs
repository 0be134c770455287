using Lethe.Learning.Blas;

namespace Lethe.Learning.Tests;

public class OpenBlasKernelTests
{
    private static readonly ProcessorFeatures Avx512WithBf16 = new(Avx: true, Avx2Fma: true, Avx512: true, Avx512Bf16: true, Amd: false);
    private static readonly ProcessorFeatures Avx512 = Avx512WithBf16 with { Avx512Bf16 = false };
    private static readonly ProcessorFeatures Avx2Intel = Avx512 with { Avx512 = false };
    private static readonly ProcessorFeatures Avx2Amd = Avx2Intel with { Amd = true };
    private static readonly ProcessorFeatures AvxOnly = Avx2Intel with { Avx2Fma = false };

    [Fact]
    public void The_kernel_in_use_is_not_generic_on_a_processor_with_AVX2()
    {
        var kernel = OpenBlasLibrary.Instance.Kernel;
        if (!ProcessorFeatures.Current.Avx2Fma || kernel.Origin == BlasKernelOrigin.User) return; // nothing to choose on this machine, or the user chose
        Assert.False(kernel.IsGeneric, $"OpenBLAS runs its generic {kernel.Core} kernels on a processor with AVX2: {kernel}");
    }

    public static TheoryData<string, ProcessorFeatures, string?> Replacements => new()
    {
        { "Prescott", Avx512WithBf16, "Cooperlake" },
        { "Prescott", Avx512, "SkylakeX" },
        { "Nehalem", Avx2Intel, "Haswell" },
        { "Core2", Avx2Amd, "Zen" },
        { "prescott", Avx512, "SkylakeX" },
        { "Prescott", AvxOnly, null },      // only AVX2+FMA or AVX-512 processors are upgraded
        { "Haswell", Avx512, null },        // not generic: OpenBLAS knows the processor
        { "Cooperlake", Avx512WithBf16, null },
        { "Zen", Avx2Amd, null },
        { "SapphireRapids", Avx512WithBf16, null }, // a family this table has never heard of is left alone
    };

    [Theory]
    [MemberData(nameof(Replacements))]
    public void A_generic_kernel_is_replaced_by_the_best_one_the_processor_runs(string chosen, ProcessorFeatures features, string? expected) =>
        Assert.Equal(expected, OpenBlasCores.Replacement(chosen, features));

    [Fact]
    public void The_self_check_passes_the_kernel_in_use()
    {
        Assert.True(BlasSelfCheck.Passes(OpenBlasLibrary.Instance.SingleProduct, out var failure), failure);
    }

    [Fact]
    public void The_self_check_rejects_a_product_off_in_one_element()
    {
        SingleProduct wrong = (ta, tb, m, n, k, alpha, a, b, beta, c) =>
        {
            OpenBlasLibrary.Instance.SingleProduct(ta, tb, m, n, k, alpha, a, b, beta, c);
            if (m * n > 100) c[(m * n) - 1] *= 1.001f;
        };

        Assert.False(BlasSelfCheck.Passes(wrong, out var failure));
        Assert.Contains("element", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_self_check_rejects_a_product_that_ignores_transposes()
    {
        SingleProduct wrong = (_, _, m, n, k, alpha, a, b, beta, c) => OpenBlasLibrary.Instance.SingleProduct(Transpose.No, Transpose.No, m, n, k, alpha, a, b, beta, c);
        Assert.False(BlasSelfCheck.Passes(wrong, out _));
    }
}

/// <summary>Switches the process's OpenBLAS kernels for real, so it runs alone: other tests' products must not see the switch.</summary>
[CollectionDefinition(nameof(RunsAloneKernelSwitch), DisableParallelization = true)]
public sealed class RunsAloneKernelSwitch;

[Collection(nameof(RunsAloneKernelSwitch))]
public class OpenBlasKernelSwitchTests
{
    [Fact]
    public void A_generic_choice_is_replaced_in_process_and_products_stay_correct()
    {
        var library = OpenBlasLibrary.Instance;
        if (!library.CanSwitchKernels) return; // not a DYNAMIC_ARCH build: there is nothing to switch
        var original = library.Kernel.Core;
        try
        {
            Assert.Equal("Prescott", library.SwitchKernel("Prescott"));
            Assert.True(BlasSelfCheck.Passes(library.SingleProduct, out var slowFailure), slowFailure);

            var kernel = library.ChooseKernel(); // OpenBLAS's choice is now the generic Prescott
            var best = OpenBlasCores.Replacement("Prescott", ProcessorFeatures.Current);
            if (best is null)
            {
                Assert.Equal(BlasKernelOrigin.OpenBlas, kernel.Origin);
                return;
            }

            Assert.Equal(BlasKernelOrigin.Lethe, kernel.Origin);
            Assert.Equal(best, kernel.Core);
            Assert.Equal("Prescott", kernel.OpenBlasChoice);
            Assert.Contains("Prescott", kernel.Note, StringComparison.Ordinal);
            Assert.True(BlasSelfCheck.Passes(library.SingleProduct, out var failure), failure);
        }
        finally
        {
            Assert.Equal(original, library.SwitchKernel(Environment.GetEnvironmentVariable(OpenBlasLibrary.CoreTypeVariable)));
        }
    }
}
