using MarketIntel.Pipeline.Jobs;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketIntel.Worker.Tests;

public sealed class RoutingTakesEffectTests : RedisAndEmulatorTest
{
    private const string Stable = "@cf/meta/llama-3.1-70b-instruct";
    private const string Fast = "@cf/meta/llama-3.1-70b-instruct-fp8-fast";

    [Fact]
    public async Task A_routing_change_and_a_rollback_reach_the_next_stage_call_of_a_running_worker()
    {
        using var host = WorkerHost.Build(Redis, Emulator);
        var routing = host.Services.GetRequiredService<RoutingStore>();
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var before = await RunAsync(store);
        // Another process (the api) changes the routing while this worker keeps running.
        var other = new RoutingStore(Redis.Connection!, Microsoft.Extensions.Options.Options.Create(new MarketIntel.Pipeline.Routing.RoutingOptions()), TimeProvider.System,
            host.Services.GetRequiredService<RoutingMetrics>());
        var change = await other.ChangeAsync(d => d with { Stages = new(d.Stages) { [1] = d.For(1) with { Stable = Fast } } }, "change", "alice", "Try FP8 on stage 1");
        var during = await RunAsync(store);
        var rollback = await other.RollbackAsync(change.PreviousVersion!.Value, "alice", "Back", approved: false);
        var after = await RunAsync(store);
        await host.StopAsync();

        Assert.Equal(Stable, before.Stages[1].Model);
        Assert.Equal(Fast, during.Stages[1].Model);
        Assert.Equal(Stable, after.Stages[1].Model);
        var history = await routing.HistoryAsync();
        Assert.Equal(["rollback", "change", "seed"], history.Select(h => h.Kind).ToArray());
        Assert.Contains(history[1].Diff, d => d.Stage == 1 && d.Field == "stable" && d.After == Fast);
        Assert.Equal(rollback.Version, history[0].Version);
    }

    private static async Task<JobSnapshot> RunAsync(JobStore store)
    {
        var job = JobRecoveryTests.NewJob() with { Stages = [1], Kind = JobKind.Research };
        await store.CreateAsync(job);
        return await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
    }
}
