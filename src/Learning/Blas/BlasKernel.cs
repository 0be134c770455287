namespace Lethe.Learning.Blas;

/// <summary>Who chose the OpenBLAS kernels in use.</summary>
public enum BlasKernelOrigin
{
    /// <summary>OpenBLAS itself, from the processor it detected.</summary>
    OpenBlas,

    /// <summary>The user, through <c>OPENBLAS_CORETYPE</c>; Lethe never overrides it.</summary>
    User,

    /// <summary>Lethe, because OpenBLAS fell back to a generic kernel on a processor that can run a better one.</summary>
    Lethe,
}

/// <summary>The OpenBLAS kernels that compute every product, and how they were chosen.</summary>
/// <param name="Core">The kernel family in use (<c>openblas_get_corename</c>), e.g. <c>SkylakeX</c>.</param>
/// <param name="OpenBlasChoice">The family OpenBLAS chose by itself (equal to <paramref name="Core"/> unless Lethe replaced it).</param>
/// <param name="Origin">Who chose <paramref name="Core"/>.</param>
/// <param name="Config">OpenBLAS's build description (<c>openblas_get_config</c>), e.g. its version.</param>
/// <param name="Note">What a user should be told once at start (a replacement, or a replacement undone by the self-check); null when nothing is worth saying.</param>
public sealed record BlasKernel(string Core, string OpenBlasChoice, BlasKernelOrigin Origin, string Config, string? Note)
{
    /// <summary>Whether the kernel in use is one of OpenBLAS's generic ones (<see cref="OpenBlasCores.Generic"/>).</summary>
    public bool IsGeneric => OpenBlasCores.IsGeneric(Core);

    /// <summary>One line for logs and <c>--version</c>: the kernel and who chose it.</summary>
    public override string ToString() => Origin switch
    {
        BlasKernelOrigin.Lethe => $"{Core} (OpenBLAS chose {OpenBlasChoice}; {Config})",
        BlasKernelOrigin.User => $"{Core} (OPENBLAS_CORETYPE; {Config})",
        _ => $"{Core} ({Config})",
    };
}
