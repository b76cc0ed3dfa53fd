using System.Text.Json.Nodes;
using MarketIntel.Testing;

namespace MarketIntel.Deploy.Tests;

/// <summary>A resource of the Aspire manifest that becomes a workload (a project or a container).</summary>
/// <param name="Environment">Variable name → its manifest value expression, e.g. <c>{redis.connectionString}</c>.</param>
public sealed record ManifestResource(string Name, string Type, IReadOnlyDictionary<string, string> Environment, int? Replicas);

/// <summary>
/// The AppHost's publish-mode description of the app, written by Aspire's manifest publisher from the built AppHost:
/// the source of truth the Compose and Kubernetes files are held to.
/// </summary>
public sealed class AspireManifest
{
    private static readonly Lazy<Task<AspireManifest>> Published = new(PublishAsync);

    public required IReadOnlyDictionary<string, ManifestResource> Workloads { get; init; }

    /// <summary>Names of the parameters marked secret (tokens, keys, passwords).</summary>
    public required IReadOnlySet<string> SecretParameters { get; init; }

    public static Task<AspireManifest> LoadAsync() => Published.Value;

    private static async Task<AspireManifest> PublishAsync()
    {
        var path = Path.Combine(RepositoryPaths.Artifacts("deploy-tests"), "aspire-manifest.json");
        var appHost = RepositoryPaths.BuildOutput("src/MarketIntel.AppHost", "MarketIntel.AppHost.dll");
        var result = await Processes.RunAsync("dotnet", [appHost, "--publisher", "manifest", "--output-path", path]);
        Assert.True(result.ExitCode == 0, $"The manifest publisher failed:\n{result.Output}");
        return Parse(await File.ReadAllTextAsync(path));
    }

    public static AspireManifest Parse(string json)
    {
        var resources = JsonNode.Parse(json)!["resources"]!.AsObject();
        var workloads = new Dictionary<string, ManifestResource>();
        var secrets = new HashSet<string>();
        foreach (var (name, node) in resources)
        {
            var type = (string)node!["type"]!;
            if (type.StartsWith("parameter.", StringComparison.Ordinal))
            {
                if (node["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true)
                {
                    secrets.Add(name);
                }
            }
            else if (type.StartsWith("project.", StringComparison.Ordinal) || type.StartsWith("container.", StringComparison.Ordinal))
            {
                var environment = node["env"]?.AsObject().ToDictionary(e => e.Key, e => (string)e.Value!) ?? [];
                workloads[name] = new ManifestResource(name, type, environment, node["replicas"]?.GetValue<int>());
            }
        }
        return new AspireManifest { Workloads = workloads, SecretParameters = secrets };
    }
}
