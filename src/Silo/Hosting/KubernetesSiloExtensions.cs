namespace Lethe.Silo.Hosting;

/// <summary>Orleans' Kubernetes hosting for a silo in a pod.</summary>
internal static class KubernetesSiloExtensions
{
    /// <summary>
    /// <c>UseKubernetesHosting()</c>: the silo is named after its pod, labels the pod with its service and cluster
    /// ids, declares dead the silos whose pods are gone and deletes the pods of silos declared dead (RBAC: pods get,
    /// watch, list, patch, delete). Orleans reads the pod's name, namespace and IP from the process environment
    /// itself; membership stays on the store's ADO.NET clustering.
    /// </summary>
    public static ISiloBuilder UseLetheKubernetesHosting(this ISiloBuilder silo) =>
        silo.UseKubernetesHosting(options => options.Configure(o => o.DeleteDefunctSiloPods = true));
}
