namespace MarketIntel.Deploy.Tests;

/// <summary>The AppHost is the source of truth: a service, variable or connection it gains must reach the deployment files.</summary>
public sealed class ManifestShapeTests
{
    [Fact]
    public async Task Compose_file_has_every_AppHost_service_variable_and_replica_count()
    {
        var manifest = await AspireManifest.LoadAsync();

        var problems = DeploymentShape.Differences(manifest, ComposeFile.Load(), new HashSet<string>(), compareReplicas: true);

        Assert.True(problems.Count == 0, $"{ComposeFile.PathInRepository} differs from the AppHost:\n" + string.Join("\n", problems));
    }

    [Theory]
    [InlineData("local", "", true)]
    // Production uses a managed Redis (its connection string is a secret) and Workers AI instead of the emulator, and
    // its replica counts are the operator's.
    [InlineData("production", "redis,model-emulator", false)]
    public async Task Kubernetes_overlay_has_every_AppHost_service_and_variable(string overlay, string omitted, bool compareReplicas)
    {
        var manifest = await AspireManifest.LoadAsync();
        var workloads = Kustomize.Workloads(await Kustomize.LoadAsync(overlay));

        var problems = DeploymentShape.Differences(
            manifest, workloads, omitted.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(), compareReplicas);

        Assert.True(problems.Count == 0, $"overlay {overlay} differs from the AppHost:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task A_service_or_variable_added_to_the_AppHost_but_not_to_a_deployment_file_is_reported()
    {
        var published = await AspireManifest.LoadAsync();
        var worker = published.Workloads["worker"];
        var grown = new AspireManifest
        {
            SecretParameters = published.SecretParameters,
            Workloads = new Dictionary<string, ManifestResource>(published.Workloads)
            {
                ["worker"] = worker with
                {
                    Environment = new Dictionary<string, string>(worker.Environment) { ["Worker__MaxConcurrentJobs"] = "4" },
                    Replicas = 3,
                },
                ["scheduler"] = new("scheduler", "project.v0", new Dictionary<string, string>(), null),
            },
        };

        var problems = DeploymentShape.Differences(grown, ComposeFile.Load(), new HashSet<string>(), compareReplicas: true);

        Assert.Contains("worker: variable Worker__MaxConcurrentJobs is missing", problems);
        Assert.Contains("worker: 2 replicas instead of the AppHost's 3", problems);
        Assert.Contains("no workload for the AppHost resource 'scheduler'", problems);
    }

    [Fact]
    public async Task A_secret_written_as_a_literal_value_is_reported()
    {
        var manifest = await AspireManifest.LoadAsync();
        var compose = ComposeFile.Load().ToDictionary(w => w.Key, w => w.Value);
        var api = compose["api"];
        compose["api"] = api with { Environment = new Dictionary<string, bool>(api.Environment) { ["Admin__ApiKey"] = false } };

        var problems = DeploymentShape.Differences(manifest, compose, new HashSet<string>(), compareReplicas: true);

        Assert.Equal(["api: variable Admin__ApiKey carries a secret but has a literal value"], problems);
    }
}
