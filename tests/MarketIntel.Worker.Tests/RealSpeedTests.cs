using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// The pipeline at the models' real speed (emulator latency scale 1: 800 ms to the first token, then 40 tokens a second
/// for Llama 3.1 70B), where a fixed 45 s limit failed stage 2 on every attempt (docs/real-speed.md). Outcomes only: the
/// machine's speed decides nothing here.
/// </summary>
public sealed class RealSpeedTests : RedisAndEmulatorTest
{
    [Fact]
    public async Task Stage_2_with_its_4000_token_budget_succeeds_on_its_first_attempt_at_real_speed_and_reports_progress_while_it_streams()
    {
        using var realSpeed = new EmulatorFactory(latencyScale: 1);
        using var host = WorkerHost.Build(Redis, realSpeed);
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var job = TestJobs.Research(SampleSuite.Get("health-menopause-nutrition"), stages: [1, 2]);
        await store.CreateAsync(job);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id, TimeSpan.FromMinutes(8));
        var progress = await store.GetProgressAsync(job.Id);
        await host.StopAsync();

        Assert.True(done.Status == JobStatus.Succeeded, $"The job ended {done.Status}: {done.Error}");
        var stage2 = done.Stages[2];
        var attempt = Assert.Single(stage2.Attempts);
        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);
        Assert.Equal(0, attempt.Retries);
        Assert.Equal(4000, progress[2].MaxTokens);
        Assert.Equal("emulator", attempt.Provider);
        // Progress was written while the answer streamed (estimated from its text, so near but not equal to the usage).
        Assert.InRange(progress[2].TokensOut, 1, progress[2].MaxTokens);
    }

    private const string Llama31 = "@cf/meta/llama-3.1-70b-instruct";

    [Fact]
    public async Task A_stream_that_stalls_mid_answer_fails_its_attempt_on_the_idle_limit_and_is_asked_again()
    {
        // Llama 3.1 70B is the first model of the catalogue; a one-second idle limit keeps the test short.
        using var host = WorkerHost.Build(Redis, Emulator, new Dictionary<string, string?>
        {
            ["Models:Catalog:0:Throughput:MaxIdleSeconds"] = "1",
            ["Stages:MaxStreamRestarts"] = "5",
        });
        var emulator = Emulator.CreateClient();
        await Emulator.ChangeProfileAsync(Llama31, profile => profile["stallRate"] = 1.0);
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var job = TestJobs.Research(stages: [1]);
        await store.CreateAsync(job);
        // Once an attempt has stalled, the model recovers: a later attempt gets the whole answer.
        await WaitAsync(async () => (await store.GetAsync(job.Id))!.Stages[1].Attempts.Count > 0);
        await Emulator.ChangeProfileAsync(Llama31, profile => profile["stallRate"] = 0.0);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        Assert.True(done.Status == JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        var attempts = done.Stages[1].Attempts;
        var stalled = attempts.First();
        Assert.Equal(AttemptOutcome.ProviderError, stalled.Outcome);
        Assert.Matches(@"^stream stalled: no chunk for 1 s after \d+ chunks$", Assert.Single(stalled.Errors));
        Assert.True(stalled.TokensOut > 0, "The stalled attempt streamed part of its answer before it stopped.");
        Assert.Equal(AttemptOutcome.Succeeded, attempts[^1].Outcome);
        // Asked again, not re-asked: the content was never judged.
        Assert.All(attempts, a => Assert.False(a.Reask));
        var stats = (await emulator.GetFromJsonAsync<JsonObject>("/admin/stats"))!;
        Assert.True(stats["disconnects"]!.GetValue<int>() >= 1, "The emulator saw no stalled stream closed by the worker.");
    }

    [Fact]
    public async Task Cancelling_a_job_mid_stream_closes_the_providers_HTTP_request()
    {
        using var slow = new EmulatorFactory(latencyScale: 1);
        var emulator = slow.CreateClient();
        // A slow answer: minutes at 20 tokens a second, so the job is mid-stream whenever it is cancelled.
        await slow.ChangeProfileAsync(Llama31, profile => profile["tokensPerSecond"] = 20);
        using var host = WorkerHost.Build(Redis, slow);
        var store = host.Services.GetRequiredService<JobStore>();
        await host.StartAsync();

        var job = TestJobs.Research(stages: [1]);
        await store.CreateAsync(job);
        await WaitAsync(async () => (await store.GetProgressAsync(job.Id)).TryGetValue(1, out var p) && p.TokensOut > 0);
        Assert.Equal(0, (await emulator.GetFromJsonAsync<JsonObject>("/admin/stats"))!["disconnects"]!.GetValue<int>());
        await store.RequestCancelAsync(job.Id);
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);

        Assert.Equal(JobStatus.Cancelled, done.Status);
        await WaitAsync(async () => (await emulator.GetFromJsonAsync<JsonObject>("/admin/stats"))!["disconnects"]!.GetValue<int>() == 1);
        await host.StopAsync();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
