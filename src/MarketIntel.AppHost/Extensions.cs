using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Redis served by a local redis-server process: same connection name, no container engine needed.</summary>
public sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.HostAndPort)}");
}

public static class MarketIntelHostingExtensions
{
    /// <summary>
    /// Redis under <paramref name="name"/> (docs/architecture.md §8). Publish mode always describes a container. In run mode a container
    /// is used only when a container runtime answers; otherwise <c>redis-server</c> runs as an executable with an
    /// append-only file under <c>.data/redis</c> (git-ignored), so a restart loses no job.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddMarketIntelRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var mode = builder.Configuration["MarketIntel:Redis"] ?? "auto";
        var useContainer = builder.ExecutionContext.IsPublishMode
            || mode == "container"
            || (mode == "auto" && ContainerRuntimeAnswers());
        // "executable" forces redis-server even where a container engine answers (tests, offline machines).
        if (useContainer)
        {
            return builder.AddRedis(name).WithDataVolume().WithPersistence();
        }

        var dataDirectory = builder.Configuration["MarketIntel:RedisDataDirectory"]
            ?? Path.Combine(builder.AppHostDirectory, "..", "..", ".data", "redis");
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);

        var resource = new RedisServerResource(name, dataDirectory);
        return builder.AddResource(resource)
            .WithEndpoint(name: RedisServerResource.EndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add("everysec");
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--protected-mode");
                context.Args.Add("yes");
            });
    }

    /// <summary>
    /// A parameter that may stay empty (read from <c>Parameters:&lt;name&gt;</c>, e.g. user secrets). A plain parameter
    /// without a value would hold every resource that uses it until someone typed one in; an empty Workers AI token
    /// simply means "use the emulator".
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddOptionalParameter(this IDistributedApplicationBuilder builder, string name, bool secret = false) =>
        builder.AddParameter(name, () => builder.Configuration[$"Parameters:{name}"] ?? "", secret: secret);

    /// <summary>
    /// Writes the project's manifest entry as Aspire does, plus its replica count, which Aspire's entry leaves out: the
    /// Compose and Kubernetes files are held to the manifest (tests/MarketIntel.Deploy.Tests), replicas included.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicasInManifest(this IResourceBuilder<ProjectResource> builder) =>
        builder.WithManifestPublishingCallback(async context =>
        {
            var resource = builder.Resource;
            context.Writer.WriteString("type", "project.v0");
            context.Writer.WriteString("path", context.GetManifestRelativePath(resource.GetProjectMetadata().ProjectPath));
            await context.WriteCommandLineArgumentsAsync(resource);
            await context.WriteEnvironmentVariablesAsync(resource);
            context.WriteBindings(resource);
            var replicas = resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
            context.Writer.WriteNumber("replicas", replicas);
        });

    /// <summary>True when a container engine answers within a few seconds (a docker client alone is not enough).</summary>
    private static bool ContainerRuntimeAnswers()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (process is null)
                {
                    continue;
                }
                if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    process.Kill(entireProcessTree: true);
                    continue;
                }
                if (process.ExitCode == 0)
                {
                    return true;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }
        return false;
    }
}
