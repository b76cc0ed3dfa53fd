using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Storage;
using MarketIntel.Testing;

namespace MarketIntel.Worker.Tests;

public sealed class CacheTests : RedisAndEmulatorTest
{
    [Fact]
    public async Task A_second_identical_job_makes_no_model_call()
    {
        var store = new JobStore(Redis.Connection!, TimeProvider.System);
        using var host = WorkerHost.Build(Redis, Emulator);
        await host.StartAsync();

        var first = JobRecoveryTests.NewJob();
        await store.CreateAsync(first);
        var firstDone = await JobRecoveryTests.WaitForTerminalAsync(store, first.Id);
        var callsAfterFirst = await EmulatorRequestsAsync();

        var second = JobRecoveryTests.NewJob();
        await store.CreateAsync(second);
        var secondDone = await JobRecoveryTests.WaitForTerminalAsync(store, second.Id);
        await host.StopAsync();

        Assert.Equal(JobStatus.Succeeded, firstDone.Status);
        Assert.Equal(JobStatus.Succeeded, secondDone.Status);
        Assert.True(callsAfterFirst >= firstDone.Record.Stages.Count);
        Assert.Equal(callsAfterFirst, await EmulatorRequestsAsync());
        Assert.All(secondDone.Stages.Values, stage =>
        {
            Assert.True(stage.Cached);
            Assert.All(stage.Attempts, a => Assert.True(a.CacheHit));
        });
        // Same content as the first run, served from the cache.
        foreach (var stage in first.Stages)
        {
            Assert.Equal((await store.GetLatestOutputAsync(first.Id, stage))!.Content, (await store.GetLatestOutputAsync(second.Id, stage))!.Content);
        }
    }

    private async Task<long> EmulatorRequestsAsync()
    {
        var stats = await Emulator.CreateClient().GetFromJsonAsync<JsonObject>("/admin/stats");
        return stats!["requests"]!.GetValue<long>();
    }
}
