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

        var sample = SampleSuite.Get("health-menopause-nutrition");
        var job = new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = JobKind.Research,
            Profile = sample.Profile with { BusinessName = $"{sample.Profile.BusinessName} (real speed)" },
            CreatedAt = DateTimeOffset.UtcNow,
            Stages = [1, 2],
        };
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
        // Progress was written while the answer streamed, not only at its end.
        Assert.InRange(progress[2].TokensOut, 1, attempt.TokensOut);
    }
}
