using System.Text.Json.Nodes;
using Lethe.Silo.Hosting;
using Lethe.Silo.Storage;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>deploy/k8s rendered by <c>kubectl kustomize</c>: the invariants a Lethe cluster on Kubernetes relies on.</summary>
public sealed class KustomizeTests
{
    private const string Namespace = "lethe";

    public static TheoryData<string> Kustomizations() => [.. Kustomize.Kustomizations];

    [Fact]
    public async Task Cpu_and_gpu_silos_share_namespace_service_id_cluster_id_labels_and_the_api()
    {
        var manifests = await Kustomize.RenderAsync("overlays/gpu");
        var silos = manifests.Silos();
        Assert.Equal(["lethe-silo", "lethe-silo-gpu"], silos.Select(s => s.Name()).Order(StringComparer.Ordinal));
        var defaults = new SiloEndpointsOptions();

        foreach (var silo in silos)
        {
            var labels = silo.PodLabels();
            var container = silo.Container("silo");
            Assert.Equal(Namespace, silo.Namespace());
            // Orleans' Kubernetes hosting matches pods by these labels and reads the same ids from the environment.
            Assert.Equal(labels["orleans/serviceId"], container.EnvValue("ORLEANS_SERVICE_ID"));
            Assert.Equal(labels["orleans/clusterId"], container.EnvValue("ORLEANS_CLUSTER_ID"));
            Assert.Equal("metadata.name", (string?)container.Env("POD_NAME")?["valueFrom"]?["fieldRef"]?["fieldPath"]);
            Assert.Equal("metadata.namespace", (string?)container.Env("POD_NAMESPACE")?["valueFrom"]?["fieldRef"]?["fieldPath"]);
            Assert.Equal("status.podIP", (string?)container.Env("POD_IP")?["valueFrom"]?["fieldRef"]?["fieldPath"]);
            // The ids come from the pod alone: a Lethe:Silo id beside them would have to agree (the host refuses otherwise).
            Assert.Null(container.Env("Lethe__Silo__ServiceId"));
            Assert.Null(container.Env("Lethe__Silo__ClusterId"));
            Assert.Equal("lethe-silo", (string)silo.PodSpec()["serviceAccountName"]!);
            Assert.Equal(["serve", "--urls", "http://0.0.0.0:8080"], container["args"].List());
            var ports = (container["ports"] as JsonArray)!.ToDictionary(p => (string)p!["name"]!, p => p!["containerPort"].Number());
            Assert.Equal(new Dictionary<string, int> { ["http"] = 8080, ["silo"] = defaults.SiloPort, ["gateway"] = defaults.GatewayPort }, ports);
            Assert.Equal("lethe-config", (string?)container["envFrom"]![0]!["configMapRef"]!["name"]);
            Assert.Equal(("lethe-secrets", "postgres-connection-string"), SecretKey(container, "Lethe__Store__ConnectionString"));
            Assert.Equal(("lethe-secrets", "api-keys"), SecretKey(container, "LETHE_API_KEYS"));
        }

        var (cpu, gpu) = (silos.Single(s => s.Name() == "lethe-silo"), silos.Single(s => s.Name() == "lethe-silo-gpu"));
        foreach (var label in new[] { "orleans/serviceId", "orleans/clusterId", "app.kubernetes.io/name", "app.kubernetes.io/component" })
            Assert.Equal(cpu.PodLabels()[label], gpu.PodLabels()[label]);
        Assert.Equal("cpu", cpu.Container("silo").EnvValue("Orleans__Metadata__lethe.device"));
        Assert.Equal("cuda", gpu.Container("silo").EnvValue("Orleans__Metadata__lethe.device"));
        Assert.Equal("torch", gpu.Container("silo").EnvValue("Lethe__Compute__Backend"));
        Assert.Equal("cuda", gpu.Container("silo").EnvValue("Lethe__Compute__Device"));

        // One Service, one headless Service and one PodDisruptionBudget over both kinds of silo.
        foreach (var selector in new[]
        {
            manifests.Named("Service", "lethe")["spec"]!["selector"].Map(),
            manifests.Named("Service", "lethe-silos")["spec"]!["selector"].Map(),
            manifests.Named("PodDisruptionBudget", "lethe-silo")["spec"]!["selector"]!["matchLabels"].Map(),
        })
        {
            Assert.All(silos, silo => Assert.True(Selects(selector, silo.PodLabels()), $"{string.Join(",", selector)} does not select {silo.Name()}"));
        }

        // Every silo clusters through PostgreSQL (the host refuses SQLite in a pod).
        Assert.Equal("postgres", (string?)manifests.Named("ConfigMap", "lethe-config")["data"]![$"{StoreOptions.SectionName.Replace(":", "__", StringComparison.Ordinal)}__Provider"]);
    }

    [Fact]
    public async Task The_silos_role_grants_exactly_what_orleans_kubernetes_hosting_does_with_pods()
    {
        var manifests = await Kustomize.RenderAsync("overlays/gpu");
        var role = manifests.Named("Role", "lethe-silo");
        var rule = Assert.Single(role["rules"]!.AsArray())!;
        Assert.Equal([""], rule["apiGroups"].List());
        Assert.Equal(["pods"], rule["resources"].List());
        Assert.Equal(["delete", "get", "list", "patch", "watch"], rule["verbs"].List().Order(StringComparer.Ordinal));

        var binding = manifests.Named("RoleBinding", "lethe-silo");
        Assert.Equal(("Role", "lethe-silo"), ((string)binding["roleRef"]!["kind"]!, (string)binding["roleRef"]!["name"]!));
        var subject = Assert.Single(binding["subjects"]!.AsArray())!;
        Assert.Equal(("ServiceAccount", "lethe-silo", Namespace), ((string)subject["kind"]!, (string)subject["name"]!, (string)subject["namespace"]!));
        Assert.Equal(Namespace, manifests.Named("ServiceAccount", "lethe-silo").Namespace());
    }

    [Fact]
    public async Task Silos_have_startup_readiness_and_liveness_probes_and_stop_within_their_grace_period()
    {
        foreach (var kustomization in new[] { "base", "overlays/gpu", "overlays/local" })
        {
            foreach (var silo in (await Kustomize.RenderAsync(kustomization)).Silos())
            {
                var container = silo.Container("silo");
                Assert.Equal(("/readyz", "http"), Probe(container, "readinessProbe"));
                Assert.Equal(("/healthz", "http"), Probe(container, "livenessProbe"));
                Assert.Equal(("/healthz", "http"), Probe(container, "startupProbe"));
                // The startup probe allows minutes to join the cluster; liveness restarts only a process that stopped answering.
                Assert.True(container["startupProbe"]!["periodSeconds"].Number() * container["startupProbe"]!["failureThreshold"].Number() >= 120);

                var preStop = container["lifecycle"]!["preStop"]!["exec"]!["command"].List();
                Assert.Equal("sleep", preStop[0]);
                var grace = silo.PodSpec()["terminationGracePeriodSeconds"].Number();
                Assert.True(grace > int.Parse(preStop[1], System.Globalization.CultureInfo.InvariantCulture) + LetheHost.ShutdownTimeout.TotalSeconds,
                    $"{kustomization}/{silo.Name()}: terminationGracePeriodSeconds {grace} must exceed the preStop pause plus the host's shutdown timeout ({LetheHost.ShutdownTimeout.TotalSeconds} s)");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Gpus_are_asked_for_only_in_the_gpu_overlay_and_only_under_limits(string kustomization)
    {
        var manifests = await Kustomize.RenderAsync(kustomization);
        foreach (var (workload, template) in manifests.PodTemplates())
        {
            foreach (var container in template["spec"]!.AsObject().Containers())
            {
                Assert.Null(container["resources"]?["requests"]?["nvidia.com/gpu"]);
                var gpus = container["resources"]?["limits"]?["nvidia.com/gpu"];
                if (kustomization == "overlays/gpu" && workload.Name() == "lethe-silo-gpu")
                    Assert.Equal(1, gpus.Number());
                else
                    Assert.Null(gpus);
            }
        }

        if (kustomization != "overlays/gpu") return;
        var gpu = manifests.Named("Deployment", "lethe-silo-gpu").PodSpec();
        Assert.Equal("true", (string?)gpu["nodeSelector"]!["nvidia.com/gpu.present"]);
        var toleration = Assert.Single(gpu["tolerations"]!.AsArray())!;
        Assert.Equal(("nvidia.com/gpu", "Exists", "NoSchedule"), ((string)toleration["key"]!, (string)toleration["operator"]!, (string)toleration["effect"]!));
        Assert.Null(manifests.Named("Deployment", "lethe-silo").PodSpec()["tolerations"]);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task Every_container_has_a_pinned_image_resource_requests_and_runs_as_non_root(string kustomization)
    {
        foreach (var (workload, template) in (await Kustomize.RenderAsync(kustomization)).PodTemplates())
        {
            var pod = template["spec"]!.AsObject();
            Assert.Equal("true", (string?)pod["securityContext"]?["runAsNonRoot"]);
            foreach (var container in pod.Containers())
            {
                var image = (string)container["image"]!;
                Assert.True(ImageReference.IsPinned(image), $"{kustomization}/{workload.Name()}: image {image} has no version tag or digest");
                Assert.NotNull(container["resources"]?["requests"]?["cpu"]);
                Assert.NotNull(container["resources"]?["requests"]?["memory"]);
                Assert.NotNull(container["resources"]?["limits"]?["memory"]);
                Assert.Equal("false", (string?)container["securityContext"]?["allowPrivilegeEscalation"]);
            }
        }
    }

    [Fact]
    public async Task No_secret_is_committed_except_the_local_overlays_own()
    {
        foreach (var kustomization in Kustomize.Kustomizations.Where(k => k != "overlays/local"))
            Assert.Empty((await Kustomize.RenderAsync(kustomization)).OfKind("Secret"));

        // Locally the Secret is generated (hash-suffixed name), every reference to it follows, and it reaches the PostgreSQL StatefulSet.
        var local = await Kustomize.RenderAsync("overlays/local");
        var secret = Assert.Single(local.OfKind("Secret"));
        Assert.StartsWith("lethe-secrets-", secret.Name(), StringComparison.Ordinal);
        var keys = secret["data"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["api-keys", "postgres-connection-string", "postgres-password"], keys);
        foreach (var (workload, template) in local.PodTemplates())
        {
            foreach (var container in template["spec"]!.AsObject().Containers())
            {
                foreach (var reference in (container["env"] as JsonArray ?? []).Select(e => e!["valueFrom"]?["secretKeyRef"]).OfType<JsonObject>())
                    Assert.Equal(secret.Name(), (string)reference["name"]!);
            }
        }

        var connection = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["postgres-connection-string"]!));
        var host = new Npgsql.NpgsqlConnectionStringBuilder(connection).Host;
        Assert.Equal(local.Named("StatefulSet", "lethe-postgres")["spec"]!["serviceName"]!.ToString(), host);
        Assert.Equal(host, local.Named("Service", "lethe-postgres").Name());
    }

    [Fact]
    public async Task The_local_overlay_runs_one_silo_beside_postgresql_and_the_datasets_from_the_node()
    {
        var local = await Kustomize.RenderAsync("overlays/local");
        var silo = Assert.Single(local.Silos());
        Assert.Equal(1, silo["spec"]!["replicas"].Number());
        var datasets = silo.PodSpec()["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "datasets")!;
        Assert.Null(datasets["persistentVolumeClaim"]);
        Assert.Equal("/lethe-data", (string?)datasets["hostPath"]!["path"]);
        Assert.Empty(local.OfKind("PersistentVolumeClaim"));
        var postgres = local.Named("StatefulSet", "lethe-postgres").Container("postgres");
        Assert.StartsWith("docker.io/library/postgres:15.", (string)postgres["image"]!, StringComparison.Ordinal);

        var baseSilo = Assert.Single((await Kustomize.RenderAsync("base")).Silos());
        Assert.Equal(3, baseSilo["spec"]!["replicas"].Number());
    }

    [Fact]
    public async Task The_service_monitor_scrapes_every_silo_as_the_job_the_rules_select()
    {
        var monitor = Assert.Single(await Kustomize.RenderAsync("monitoring"));
        Assert.Equal(("ServiceMonitor", Namespace), (monitor.Kind(), monitor.Namespace()));
        var service = (await Kustomize.RenderAsync("base")).Named("Service", "lethe");
        Assert.True(Selects(monitor["spec"]!["selector"]!["matchLabels"].Map(), service["metadata"]!["labels"].Map()));
        Assert.Equal([Namespace], monitor["spec"]!["namespaceSelector"]!["matchNames"].List());
        // job = the Service's label named by jobLabel: the job deploy/prometheus's rules and the dashboard select.
        Assert.Equal(PrometheusFiles.Job, service["metadata"]!["labels"].Map()[(string)monitor["spec"]!["jobLabel"]!]);
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;
        Assert.Equal(("http", "/metrics"), ((string)endpoint["port"]!, (string)endpoint["path"]!));
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string)p!["name"]! == "http");
    }

    [Fact]
    public async Task The_scrape_configuration_finds_every_silo_through_the_headless_service()
    {
        var manifests = await Kustomize.RenderAsync("overlays/gpu");
        var headless = manifests.Named("Service", "lethe-silos");
        Assert.Equal("None", (string?)headless["spec"]!["clusterIP"]);
        Assert.Equal("true", (string?)headless["spec"]!["publishNotReadyAddresses"]);

        var job = YamlDocuments.ParseOne(File.ReadAllText(PrometheusFiles.Config))["scrape_configs"]!.AsArray().Single(j => (string)j!["job_name"]! == PrometheusFiles.Job)!;
        var discovery = Assert.Single(job["dns_sd_configs"]!.AsArray())!;
        Assert.Equal([$"{headless.Name()}.{headless.Namespace()}.svc.cluster.local"], discovery["names"].List());
        Assert.Equal("A", (string?)discovery["type"]);
        Assert.Equal("/metrics", (string?)job["metrics_path"]);
        foreach (var silo in manifests.Silos())
        {
            var http = silo.Container("silo")["ports"]!.AsArray().Single(p => (string)p!["name"]! == "http")!;
            Assert.Equal(discovery["port"].Number(), http["containerPort"].Number());
        }
    }

    [Fact]
    public async Task The_migration_job_runs_lethe_db_migrate_on_the_secret_connection_string()
    {
        var job = (await Kustomize.RenderAsync("base")).Named("Job", "lethe-migrate");
        var container = job.Container("migrate");
        Assert.Equal(("lethe-secrets", "postgres-connection-string"), SecretKey(container, "LETHE_POSTGRES"));
        Assert.Equal(["db", "migrate", "--provider", "postgres", "--connection", "$(LETHE_POSTGRES)"], container["args"].List());
        Assert.Equal("OnFailure", (string?)job.PodSpec()["restartPolicy"]);

        // The Job's command line, with the variable expanded as the kubelet does, migrates a real database.
        var connection = await Storage.PostgresServer.CreateDatabaseAsync();
        var arguments = container["args"].List().Select(a => a.Replace("$(LETHE_POSTGRES)", connection, StringComparison.Ordinal));
        var run = await LetheProcess.RunAsync(arguments);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("schema at version", run.Output, StringComparison.Ordinal);
    }

    private static (string Secret, string Key) SecretKey(JsonObject container, string variable)
    {
        var reference = container.Env(variable)?["valueFrom"]?["secretKeyRef"] ?? throw new InvalidOperationException($"{variable} is not from a Secret.");
        return ((string)reference["name"]!, (string)reference["key"]!);
    }

    private static (string Path, string Port) Probe(JsonObject container, string probe) =>
        ((string)container[probe]!["httpGet"]!["path"]!, (string)container[probe]!["httpGet"]!["port"]!);

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
