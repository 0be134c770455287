using System.Reflection;
using System.Runtime.Loader;
using Lethe.Learning.Compute;

namespace Lethe.Learning.Torch.Tests;

public class ComputeBackendsTests
{
    [Fact]
    public void The_default_options_select_blas_on_the_cpu_and_torch_on_the_cpu_where_there_is_no_gpu()
    {
        _ = TorchCpu.Backend;

        var blas = ComputeBackends.Create(new ComputeOptions());
        var torch = ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Torch });

        Assert.Same(BlasBackend.Instance, blas);
        Assert.Equal(("torch", "cpu"), (torch.Name, torch.Device));
        Assert.StartsWith("torch-2.10", torch.Engine, StringComparison.Ordinal);
        Assert.EndsWith($"/{Threading.ComputePool.Threads}-threads", torch.Engine, StringComparison.Ordinal);
        Assert.Equal(ComputeBackendKind.Torch, ComputeBackends.Parse("TORCH"));
    }

    [Fact]
    public void A_backend_or_device_that_cannot_run_is_one_clear_error()
    {
        var unknown = Assert.Throws<ArgumentException>(() => ComputeBackends.Parse("gpu"));
        var blasOnCuda = Assert.Throws<ArgumentException>(() => ComputeBackends.Create(new ComputeOptions { Device = ComputeDevice.Cuda }));
        var torchOnCuda = Assert.Throws<InvalidOperationException>(() => ComputeBackends.Create("torch", ComputeDevice.Cuda));

        Assert.Contains("use blas or torch", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("CPU only", blasOnCuda.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA", torchOnCuda.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selecting_blas_does_not_load_torchsharp_and_selecting_torch_does()
    {
        var blas = AssembliesRequestedToCreate("Blas");
        var torch = AssembliesRequestedToCreate("Torch");

        Assert.DoesNotContain("TorchSharp", blas);
        Assert.Contains("TorchSharp", torch);
    }

    // Creates a backend in a fresh load context holding Lethe's assemblies and records every assembly it asks for.
    private static List<string> AssembliesRequestedToCreate(string backend)
    {
        var context = new RecordingContext(AppContext.BaseDirectory);
        try
        {
            var learningTorch = context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "Lethe.Learning.Torch.dll"));
            var optionsType = learningTorch.GetType("Lethe.Learning.Compute.ComputeOptions", throwOnError: true)!;
            var kindType = learningTorch.GetType("Lethe.Learning.Compute.ComputeBackendKind", throwOnError: true)!;
            var options = Activator.CreateInstance(optionsType)!;
            optionsType.GetProperty("Backend")!.SetValue(options, Enum.Parse(kindType, backend));
            learningTorch.GetType("Lethe.Learning.Compute.ComputeBackends", throwOnError: true)!
                .GetMethod("Create", [optionsType])!.Invoke(null, [options]);
            return context.Requested;
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class RecordingContext(string directory) : AssemblyLoadContext(isCollectible: true)
    {
        public List<string> Requested { get; } = [];

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            Requested.Add(assemblyName.Name!);
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            return assemblyName.Name!.StartsWith("Lethe.", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
