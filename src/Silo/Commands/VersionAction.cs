using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Lethe.Learning.Blas;

namespace Lethe.Silo.Commands;

/// <summary><c>--version</c>: Lethe's version and the OpenBLAS kernels products run on.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var version = typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        output.WriteLine($"lethe {version}");
        try
        {
            var blas = OpenBlasLibrary.Instance;
            output.WriteLine($"blas {blas.Name}: kernel {blas.Kernel}");
            if (blas.Kernel.Note is { } note) output.WriteLine($"blas note: {note}");
        }
        catch (DllNotFoundException e)
        {
            output.WriteLine($"blas: {e.Message}");
        }

        return 0;
    }
}
