using MarketIntel.ModelEmulator;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// Cost ceilings (docs/architecture.md §4.3 budgets) through a real worker host: once a job's spend reaches Budgets:PerJobCostUsd, or a
/// provider's spend today reaches Budgets:DailyCostUsdPerProvider, the next stage fails with the reason and no model
/// call is made.
/// </summary>
public sealed class BudgetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly EmulatorFactory _emulator = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_job_that_reaches_its_cost_ceiling_fails_with_the_reason_and_makes_no_further_model_call()
    {
        using var host = WorkerHost.Build(_redis, _emulator, new Dictionary<string, string?> { ["Budgets:PerJobCostUsd"] = "0.0001" });
        var store = host.Services.GetRequiredService<JobStore>();
        var spend = host.Services.GetRequiredService<SpendStore>();
        await host.StartAsync();

        var job = JobRecoveryTests.NewJob();
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        var spent = await spend.JobSpendAsync(job.Id);
        var calls = _emulator.Services.GetRequiredService<EmulatorStats>().Snapshot().Requests;
        var attempts = done.Stages.Values.SelectMany(s => s.Attempts).ToList();
        output.WriteLine($"job {done.Status}: {done.Error}; spent {SpendStore.Dollars(spent)}; emulator calls {calls}");

        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains($"cost ceiling of $0.0001 for this job reached ({SpendStore.Dollars(spent)} spent)", done.Error);
        Assert.True(spent >= 0.0001m);
        // Every call the emulator saw is an attempt the job recorded and paid for; the refused stage made none.
        Assert.Equal(attempts.Count(a => a.Outcome != AttemptOutcome.Cached), calls);
        Assert.Equal(attempts.Sum(a => a.Cost), spent, precision: 6);
        var refused = done.Stages.Values.Single(s => s.Status == StageStatus.Failed);
        Assert.Contains("cost ceiling", refused.Error);
        Assert.Empty(refused.Attempts);
        Assert.True(await spend.ProviderSpendTodayAsync("workers-ai") >= spent);
    }

    [Fact]
    public async Task A_provider_whose_daily_budget_is_spent_gets_no_call_and_the_job_fails_with_the_reason()
    {
        using var host = WorkerHost.Build(_redis, _emulator, new Dictionary<string, string?> { ["Budgets:DailyCostUsdPerProvider"] = "0.50" });
        var store = host.Services.GetRequiredService<JobStore>();
        var spend = host.Services.GetRequiredService<SpendStore>();
        await spend.AddAsync(Guid.NewGuid().ToString("N"), "workers-ai", 0.50m);
        await host.StartAsync();

        var job = JobRecoveryTests.NewJob();
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        output.WriteLine($"job {done.Status}: {done.Error}");
        Assert.Equal(JobStatus.Failed, done.Status);
        Assert.Contains("daily budget of $0.50 for provider workers-ai reached", done.Error);
        Assert.Equal(0, _emulator.Services.GetRequiredService<EmulatorStats>().Snapshot().Requests);
        Assert.Equal(0m, await spend.JobSpendAsync(job.Id));
    }

    [Theory]
    [InlineData("Budgets:PerJobCostUsd", "0")]
    [InlineData("Budgets:PerJobCostUsd", "-1")]
    [InlineData("Budgets:DailyCostUsdPerProvider", "0")]
    public void A_budget_that_is_not_positive_stops_the_worker_from_starting(string key, string value)
    {
        using var host = WorkerHost.Build(_redis, _emulator, new Dictionary<string, string?> { [key] = value });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BudgetOptions>>().Value);
        Assert.Contains(key.Split(':')[1], error.Message);
    }
}
