using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// The DAG runs independent stages at the same time. Shown by the attempt records (start and duration of each call),
/// not by timing the job: every model call takes a few hundred emulated milliseconds, so concurrent stages overlap.
/// </summary>
public sealed class DagConcurrencyTests : RedisAndEmulatorTest
{
    private const string Model = "@cf/meta/llama-3.1-70b-instruct";

    [Fact]
    public async Task Independent_stages_overlap_and_dependent_ones_wait()
    {
        using var slowEmulator = Emulator.WithWebHostBuilder(b => b.UseSetting("Emulator:LatencyScale", "1"));
        var put = await slowEmulator.CreateClient().PutAsJsonAsync($"/admin/profiles/{Model}",
            new JsonObject { ["timeToFirstTokenMs"] = 300, ["tokensPerSecond"] = 100_000, ["contextWindow"] = 24000 });
        put.EnsureSuccessStatusCode();
        using var host = WorkerHost.Build(Redis, slowEmulator);
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var sample = SampleSuite.Get("relationships-couples-communication");
        var job = new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = JobKind.Full,
            Profile = sample.Profile,
            Preferences = sample.Preferences,
            CreatedAt = DateTimeOffset.UtcNow,
            Stages = JobKinds.StagesOf(JobKind.Full),
        };
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        Assert.Equal(JobStatus.Succeeded, done.Status);
        var (start, end) = Intervals(done);

        // The stages after 5 that read only the research (1-5) all started before any of them finished.
        var independent = StageCatalog.All.Where(s => s.Number > 5 && s.Reads.All(r => r <= 5)).Select(s => s.Number).ToList();
        Assert.True(independent.Count >= 5, $"Only {independent.Count} stages read nothing but the research: the DAG lost its width.");
        var latestStart = independent.Max(n => start[n]);
        var earliestEnd = independent.Min(n => end[n]);
        Assert.True(latestStart < earliestEnd, $"Expected overlap of {string.Join(", ", independent)}: last start {latestStart:O}, first end {earliestEnd:O}");

        // Every stage starts only after each stage it reads has finished.
        foreach (var stage in StageCatalog.All)
        {
            foreach (var read in stage.Reads)
            {
                Assert.True(start[stage.Number] >= end[read], $"Stage {stage.Number} started before stage {read}, which it reads, finished.");
            }
        }
    }

    /// <summary>Each stage's first call start and last call end, from its attempt records.</summary>
    private static (Dictionary<int, DateTimeOffset> Start, Dictionary<int, DateTimeOffset> End) Intervals(JobSnapshot job)
    {
        var start = new Dictionary<int, DateTimeOffset>();
        var end = new Dictionary<int, DateTimeOffset>();
        foreach (var (number, state) in job.Stages)
        {
            var calls = state.Attempts.Where(a => !a.CacheHit).ToList();
            Assert.NotEmpty(calls);
            start[number] = calls.Min(a => a.StartedAt);
            end[number] = calls.Max(a => a.StartedAt.AddMilliseconds(a.DurationMs));
        }
        return (start, end);
    }
}
