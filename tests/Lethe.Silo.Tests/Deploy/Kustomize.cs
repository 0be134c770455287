using System.Text.Json.Nodes;

namespace Lethe.Silo.Tests.Deploy;

/// <summary><c>kubectl kustomize</c> (offline) over a folder of deploy/k8s: the manifests it renders.</summary>
public static class Kustomize
{
    /// <summary>Every kustomization of deploy/k8s: the base, the overlays and the Prometheus Operator's monitoring.</summary>
    public static readonly string[] Kustomizations = ["base", "overlays/gpu", "overlays/local", "monitoring"];

    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string kustomization)
    {
        var result = await ExternalTool.RunAsync("kubectl", "it renders deploy/k8s offline (`kubectl kustomize`).", null, ["kustomize", RepositoryFolder.File("deploy", "k8s", kustomization)]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize deploy/k8s/{kustomization} failed:\n{result.Error}");
        return YamlDocuments.Parse(result.Output);
    }
}
