using System.Diagnostics;
using MarketIntel.Testing;
using Xunit.Abstractions;

namespace MarketIntel.Deploy.Tests;

/// <summary>
/// The images built offline and the Compose stack up on loopback (eng/containers.sh), once for the tests below. Needs
/// root and apt (podman, docker-compose and the rest are installed by the script), as CI has.
/// </summary>
public sealed class ComposeStackFixture : IAsyncLifetime
{
    /// <summary>An interrupted worker's queue entry goes idle; another worker claims it after this (30 s by default).</summary>
    public static readonly Dictionary<string, string> Settings = new() { ["WORKER_CLAIM_IDLE_AFTER"] = "00:00:05" };

    public string Log { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Assert.True(Environment.UserName == "root", "The container tests need root (apt-get, podman).");
        var clock = Stopwatch.StartNew();
        // A stack left by an interrupted run would keep its old images and settings.
        await Processes.ContainersAsync(Settings, "down");
        var result = await Processes.ContainersAsync(Settings, "images", "up");
        Log = $"{result.Output}images and compose up: {clock.Elapsed.TotalSeconds:F0} s\n";
        await File.WriteAllTextAsync(Path.Combine(RepositoryPaths.Artifacts("deploy-tests"), "compose-stack.log"), Log);
        Assert.True(result.ExitCode == 0, $"eng/containers.sh images up failed:\n{result.Output}");
    }

    public async Task DisposeAsync()
    {
        await Processes.ContainersAsync(Settings, "down");
    }
}

[CollectionDefinition(Name)]
public sealed class ComposeStackCollection : ICollectionFixture<ComposeStackFixture>
{
    public const string Name = "compose stack";
}

[Collection(ComposeStackCollection.Name)]
public sealed class ComposeStackTests(ComposeStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task Research_job_succeeds_through_the_stack_with_both_workers_consuming_the_queue()
    {
        output.WriteLine(stack.Log);

        var result = await Processes.ContainersAsync(ComposeStackFixture.Settings, "smoke");

        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public async Task Stopping_the_worker_container_that_runs_a_job_hands_it_back_within_the_grace_period()
    {
        var result = await Processes.ContainersAsync(ComposeStackFixture.Settings, "stop-worker");

        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public async Task Killing_the_worker_container_that_runs_a_job_loses_no_job()
    {
        var result = await Processes.ContainersAsync(ComposeStackFixture.Settings, "kill-worker");

        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
    }
}
