using k8s;
using k8s.Models;
using MarketIntel.Testing;

namespace MarketIntel.Deploy.Tests;

/// <summary>The kustomize overlays of <c>deploy/kubernetes</c>, rendered offline by kubectl and read strictly.</summary>
public static class Kustomize
{
    public static string OverlaysFolder => Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes", "overlays");

    /// <summary>Every overlay folder: a new one is rendered and validated without touching the tests.</summary>
    public static TheoryData<string> Overlays()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(OverlaysFolder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }
        return data;
    }

    public static async Task<string> RenderAsync(string overlay)
    {
        var result = await Processes.RunAsync("kubectl", ["kustomize", Path.Combine(OverlaysFolder, overlay)]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {overlay} failed:\n{result.Output}");
        return result.StandardOutput;
    }

    /// <summary>
    /// The rendered documents as Kubernetes API objects. Strict: an unknown field or a value of the wrong type throws,
    /// as the API server would refuse it.
    /// </summary>
    public static List<object> Read(string yaml) => KubernetesYaml.LoadAllFromString(yaml, strict: true);

    public static async Task<List<object>> LoadAsync(string overlay) => Read(await RenderAsync(overlay));

    /// <summary>Deployments and StatefulSets by name, with the variables of their first container.</summary>
    public static IReadOnlyDictionary<string, Workload> Workloads(IEnumerable<object> objects) =>
        objects.Select(o => o switch
            {
                V1Deployment d => ToWorkload(d.Metadata.Name, d.Spec.Template, d.Spec.Replicas),
                V1StatefulSet s => ToWorkload(s.Metadata.Name, s.Spec.Template, s.Spec.Replicas),
                _ => null,
            })
            .OfType<Workload>()
            .ToDictionary(w => w.Name);

    public static IEnumerable<V1PodTemplateSpec> PodTemplates(IEnumerable<object> objects) =>
        objects.Select(o => o switch
        {
            V1Deployment d => d.Spec.Template,
            V1StatefulSet s => s.Spec.Template,
            _ => null,
        }).OfType<V1PodTemplateSpec>();

    private static Workload ToWorkload(string name, V1PodTemplateSpec template, int? replicas) =>
        new(name,
            (template.Spec.Containers[0].Env ?? []).ToDictionary(e => e.Name, e => e.ValueFrom?.SecretKeyRef is not null),
            replicas);
}
