namespace MarketIntel.Deploy.Tests;

/// <summary>Holds a deployment file's workloads to the Aspire manifest: same services, every variable, secrets kept secret.</summary>
public static class DeploymentShape
{
    /// <summary>
    /// Variables Aspire gives every project that references Redis or an endpoint, which no MarketIntel service reads:
    /// the services read <c>ConnectionStrings__redis</c> and the emulator's http address, and there is no TLS inside a
    /// deployment's private network. They are left out of the deployment files on purpose.
    /// </summary>
    public static readonly IReadOnlySet<string> UnreadProjectVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_URI",
        "MODEL_EMULATOR_HTTPS", "services__model-emulator__https__0",
    };

    /// <summary>
    /// What <paramref name="workloads"/> lack or add compared with <paramref name="manifest"/>, one line each. Resources in
    /// <paramref name="omitted"/> are provided another way (a managed Redis, no emulator in production); variables that
    /// point at them are not expected either.
    /// </summary>
    public static List<string> Differences(
        AspireManifest manifest, IReadOnlyDictionary<string, Workload> workloads, IReadOnlySet<string> omitted, bool compareReplicas)
    {
        var problems = new List<string>();
        foreach (var resource in manifest.Workloads.Values.Where(r => !omitted.Contains(r.Name)))
        {
            if (!workloads.TryGetValue(resource.Name, out var workload))
            {
                problems.Add($"no workload for the AppHost resource '{resource.Name}'");
                continue;
            }
            foreach (var (variable, expression) in resource.Environment)
            {
                var isProject = resource.Type.StartsWith("project.", StringComparison.Ordinal);
                if ((isProject && UnreadProjectVariables.Contains(variable)) || omitted.Any(o => expression.Contains($"{{{o}.", StringComparison.Ordinal)))
                {
                    continue;
                }
                if (!workload.Environment.TryGetValue(variable, out var fromSecret))
                {
                    problems.Add($"{resource.Name}: variable {variable} is missing");
                }
                else if (IsSecret(manifest, expression) && !fromSecret)
                {
                    problems.Add($"{resource.Name}: variable {variable} carries a secret but has a literal value");
                }
            }
            if (compareReplicas && resource.Replicas is { } replicas && workload.Replicas != replicas)
            {
                problems.Add($"{resource.Name}: {workload.Replicas?.ToString() ?? "no"} replicas instead of the AppHost's {replicas}");
            }
        }
        foreach (var name in workloads.Keys.Where(n => !manifest.Workloads.ContainsKey(n)))
        {
            problems.Add($"workload '{name}' is not an AppHost resource");
        }
        return problems;
    }

    /// <summary>A secret parameter, or a connection string (the Redis one embeds its password).</summary>
    private static bool IsSecret(AspireManifest manifest, string expression) =>
        expression.Contains(".connectionString}", StringComparison.Ordinal)
        || manifest.SecretParameters.Any(p => expression.Contains($"{{{p}.", StringComparison.Ordinal));
}
