using k8s.Models;

namespace MarketIntel.Deploy.Tests;

/// <summary>The kustomize overlays render offline and hold up to the Kubernetes API types and the pod security rules.</summary>
public sealed class KubernetesTests
{
    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Overlay_renders_and_reads_strictly(string overlay)
    {
        var objects = await Kustomize.LoadAsync(overlay);

        Assert.Contains(objects, o => o is V1Deployment { Metadata.Name: "api" });
        Assert.Contains(objects, o => o is V1Deployment { Metadata.Name: "worker" });
    }

    [Theory]
    [InlineData("replicaz: 2")]
    [InlineData("replicas: two")]
    public void Strict_reading_rejects_unknown_fields_and_wrong_types(string field)
    {
        var yaml = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              {field}
              selector:
                matchLabels: {"{ app: api }"}
              template:
                metadata:
                  labels: {"{ app: api }"}
                spec:
                  containers:
                    - name: api
                      image: marketintel-api
            """;

        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => Kustomize.Read(yaml));
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Every_pod_runs_non_root_read_only_without_privilege_escalation_within_limits(string overlay)
    {
        var problems = new List<string>();
        foreach (var template in Kustomize.PodTemplates(await Kustomize.LoadAsync(overlay)))
        {
            var pod = template.Spec;
            foreach (var container in pod.Containers)
            {
                var name = container.Name;
                var security = container.SecurityContext;
                if (pod.SecurityContext?.RunAsNonRoot != true) problems.Add($"{name}: may run as root");
                if (security?.AllowPrivilegeEscalation != false) problems.Add($"{name}: privilege escalation allowed");
                if (security?.ReadOnlyRootFilesystem != true) problems.Add($"{name}: writable root file system");
                if (security?.Capabilities?.Drop?.Contains("ALL") != true) problems.Add($"{name}: keeps capabilities");
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    if (container.Resources?.Requests?.ContainsKey(resource) != true) problems.Add($"{name}: no {resource} request");
                    if (container.Resources?.Limits?.ContainsKey(resource) != true) problems.Add($"{name}: no {resource} limit");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Every_http_service_is_probed_on_health_and_alive(string overlay)
    {
        var httpContainers = Kustomize.PodTemplates(await Kustomize.LoadAsync(overlay))
            .SelectMany(t => t.Spec.Containers)
            .Where(c => c.Ports?.Any(p => p.Name == "http") == true)
            .ToList();

        Assert.NotEmpty(httpContainers);
        Assert.All(httpContainers, c =>
        {
            Assert.Equal("/health", c.ReadinessProbe?.HttpGet?.Path);
            Assert.Equal("/alive", c.LivenessProbe?.HttpGet?.Path);
        });
    }

    [Fact]
    public async Task Production_has_an_ingress_an_autoscaler_and_disruption_budgets_and_no_emulator_or_redis()
    {
        var objects = await Kustomize.LoadAsync("production");

        Assert.Contains(objects, o => o is V1Ingress);
        Assert.Contains(objects, o => o is V2HorizontalPodAutoscaler { Spec.ScaleTargetRef.Name: "worker" });
        Assert.Contains(objects, o => o is V1PodDisruptionBudget { Metadata.Name: "worker" });
        Assert.DoesNotContain(objects, o => o is V1StatefulSet or V1Deployment { Metadata.Name: "model-emulator" });
        // The Secret is created by the operator, never rendered from the repository.
        Assert.DoesNotContain(objects, o => o is V1Secret);
    }

    [Fact]
    public async Task Local_keeps_redis_on_a_persistent_volume_with_append_only_persistence()
    {
        var objects = await Kustomize.LoadAsync("local");

        var redis = Assert.Single(objects.OfType<V1StatefulSet>());
        Assert.Equal("redis", redis.Metadata.Name);
        Assert.Equal("data", Assert.Single(redis.Spec.VolumeClaimTemplates).Metadata.Name);
        Assert.Contains("--appendonly yes", string.Join(" ", redis.Spec.Template.Spec.Containers[0].Args));
    }
}
