using MarketIntel.Testing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace MarketIntel.Deploy.Tests;

/// <summary>The workloads of <c>deploy/compose/compose.yaml</c>.</summary>
public static class ComposeFile
{
    public static readonly string PathInRepository = Path.Combine("deploy", "compose", "compose.yaml");

    public static IReadOnlyDictionary<string, Workload> Load() =>
        Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, PathInRepository)));

    public static IReadOnlyDictionary<string, Workload> Parse(string yaml)
    {
        // The file shares settings between services through a YAML anchor and merge key (<<).
        var document = new DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, object>>(new MergingParser(new Parser(new StringReader(yaml))));
        var services = (Dictionary<object, object>)document["services"];
        return services.ToDictionary(s => (string)s.Key, s => ToWorkload((string)s.Key, (Dictionary<object, object>)s.Value));
    }

    private static Workload ToWorkload(string name, Dictionary<object, object> service)
    {
        var environment = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (service.TryGetValue("environment", out var env))
        {
            foreach (var (key, value) in (Dictionary<object, object>)env)
            {
                // A secret is interpolated from the environment or an env file at `up` time, never written in the file.
                environment[(string)key] = value is string text && text.Contains("${", StringComparison.Ordinal);
            }
        }
        int? replicas = service.TryGetValue("deploy", out var deploy) && ((Dictionary<object, object>)deploy).TryGetValue("replicas", out var count)
            ? int.Parse((string)count, System.Globalization.CultureInfo.InvariantCulture)
            : 1;
        return new Workload(name, environment, replicas);
    }
}
