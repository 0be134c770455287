using System.Text.Json.Nodes;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>Navigation over rendered Kubernetes manifests.</summary>
public static class Manifests
{
    public static string Kind(this JsonObject manifest) => (string)manifest["kind"]!;

    public static string Name(this JsonObject manifest) => (string)manifest["metadata"]!["name"]!;

    public static string? Namespace(this JsonObject manifest) => (string?)manifest["metadata"]!["namespace"];

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> manifests, string kind) => manifests.Where(m => m.Kind() == kind);

    public static JsonObject Named(this IEnumerable<JsonObject> manifests, string kind, string name) =>
        manifests.OfKind(kind).SingleOrDefault(m => m.Name() == name) ?? throw new InvalidOperationException($"No {kind} {name} in the manifests.");

    /// <summary>The pod templates of every workload (Deployment, StatefulSet, Job), with the workload.</summary>
    public static IEnumerable<(JsonObject Workload, JsonObject Template)> PodTemplates(this IEnumerable<JsonObject> manifests) =>
        manifests.Where(m => m.Kind() is "Deployment" or "StatefulSet" or "Job").Select(m => (m, m["spec"]!["template"]!.AsObject()));

    /// <summary>The silo Deployments (component silo).</summary>
    public static IReadOnlyList<JsonObject> Silos(this IEnumerable<JsonObject> manifests) =>
        [.. manifests.OfKind("Deployment").Where(d => (string?)d["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/component"] == "silo")];

    public static JsonObject PodSpec(this JsonObject workload) => workload["spec"]!["template"]!["spec"]!.AsObject();

    public static IReadOnlyDictionary<string, string> PodLabels(this JsonObject workload) => Map(workload["spec"]!["template"]!["metadata"]!["labels"]);

    public static IEnumerable<JsonObject> Containers(this JsonObject podSpec) =>
        ((podSpec["containers"] as JsonArray ?? []).Concat(podSpec["initContainers"] as JsonArray ?? [])).Select(c => c!.AsObject());

    public static JsonObject Container(this JsonObject workload, string name) => workload.PodSpec().Containers().Single(c => (string)c["name"]! == name);

    /// <summary>The container's variable <paramref name="name"/> (null when absent).</summary>
    public static JsonObject? Env(this JsonObject container, string name) =>
        (container["env"] as JsonArray ?? []).Select(e => e!.AsObject()).SingleOrDefault(e => (string)e["name"]! == name);

    /// <summary>The literal value of the container's variable <paramref name="name"/>.</summary>
    public static string? EnvValue(this JsonObject container, string name) => (string?)container.Env(name)?["value"];

    public static IReadOnlyList<string> List(this JsonNode? array) => array is JsonArray items ? [.. items.Select(i => (string)i!)] : [];

    public static IReadOnlyDictionary<string, string> Map(this JsonNode? map) =>
        map is JsonObject o ? o.ToDictionary(p => p.Key, p => (string)p.Value!) : new Dictionary<string, string>();

    public static int Number(this JsonNode? node) => int.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);
}
