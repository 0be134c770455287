namespace Lethe.Learning.Compute;

/// <summary>The engine a silo's shards compute with.</summary>
public enum ComputeBackendKind
{
    /// <summary>Lethe's own core on OpenBLAS, on the CPU (the default).</summary>
    Blas,

    /// <summary>libtorch through TorchSharp, on the CPU or a CUDA GPU.</summary>
    Torch,
}

/// <summary>Where the <c>torch</c> backend runs.</summary>
public enum ComputeDevice
{
    /// <summary>A CUDA GPU when this build has CUDA and one is visible, the CPU otherwise.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>A CUDA GPU; an error when there is none.</summary>
    Cuda,
}

/// <summary>How a silo computes: configuration section <c>Lethe:Compute</c> (<c>Backend</c> = blas | torch, <c>Device</c> = cpu | cuda | auto).</summary>
public sealed class ComputeOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string Section = "Lethe:Compute";

    /// <summary>The engine. Default <see cref="ComputeBackendKind.Blas"/>.</summary>
    public ComputeBackendKind Backend { get; set; } = ComputeBackendKind.Blas;

    /// <summary>The device. Default <see cref="ComputeDevice.Auto"/>: the CPU for blas, a GPU for torch when there is one.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>Throws an <see cref="ArgumentException"/> for a combination that cannot run.</summary>
    public ComputeOptions Validate()
    {
        if (!Enum.IsDefined(Backend)) throw new ArgumentOutOfRangeException(nameof(Backend), Backend, "The backend is blas or torch.");
        if (!Enum.IsDefined(Device)) throw new ArgumentOutOfRangeException(nameof(Device), Device, "The device is cpu, cuda or auto.");
        if (Backend == ComputeBackendKind.Blas && Device == ComputeDevice.Cuda)
            throw new ArgumentException("The blas backend runs on the CPU only; use Lethe:Compute:Backend=torch for CUDA.", nameof(Device));
        return this;
    }
}
