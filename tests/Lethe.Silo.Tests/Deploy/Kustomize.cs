using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Lethe.Silo.Tests.Deploy;

/// <summary><c>kubectl kustomize</c> (offline) over a folder of deploy/k8s: the manifests it renders.</summary>
public static class Kustomize
{
    /// <summary>Every kustomization of deploy/k8s: the base, the overlays and the Prometheus Operator's monitoring.</summary>
    public static readonly string[] Kustomizations = ["base", "overlays/gpu", "overlays/local", "monitoring"];

    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string kustomization)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "kustomize", RepositoryFolder.File("deploy", "k8s", kustomization) }) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not installed (it renders deploy/k8s offline with `kubectl kustomize`).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"kubectl kustomize deploy/k8s/{kustomization} failed:\n{await error}");
            return YamlDocuments.Parse(await output);
        }
    }
}
