using System.Runtime.CompilerServices;
using Lethe.Learning.Torch;

namespace Lethe.Learning.Compute;

/// <summary>The backend that <see cref="ComputeOptions"/> select, for a host to create once at start.</summary>
public static class ComputeBackends
{
    /// <summary>
    /// The backend the options name. Choosing blas neither loads TorchSharp nor libtorch; choosing torch
    /// loads libtorch and fails here, with one clear error, when it cannot run.
    /// </summary>
    /// <exception cref="ArgumentException">The options name a combination that cannot run (blas on CUDA).</exception>
    /// <exception cref="InvalidOperationException">libtorch does not load, or CUDA was asked for and is not there.</exception>
    public static IComputeBackend Create(ComputeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate().Backend == ComputeBackendKind.Blas ? BlasBackend.Instance : CreateTorch(options.Device);
    }

    /// <summary>The backend of a name as the command line spells it (<c>blas</c>, <c>torch</c>), on <paramref name="device"/>.</summary>
    public static IComputeBackend Create(string backend, ComputeDevice device = ComputeDevice.Auto) =>
        Create(new ComputeOptions { Backend = Parse(backend), Device = device });

    /// <summary>The kind a name spells (<c>blas</c>, <c>torch</c>, any case).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static ComputeBackendKind Parse(string backend) =>
        Enum.TryParse<ComputeBackendKind>(backend, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new ArgumentException($"Unknown compute backend '{backend}'; use blas or torch.", nameof(backend));

    // Separate, never inlined and typed by the interface, so selecting blas does not even load the TorchSharp assembly.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The interface keeps TorchBackend's type out of Create.")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IComputeBackend CreateTorch(ComputeDevice device) => TorchBackend.Create(device);
}
