using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// A worker stopped gracefully (StopAsync) in the middle of a job leaves it pending, neither failed nor cancelled, and
/// another worker finishes it without running the stages that had already finished.
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly EmulatorFactory _emulator = new(latencyScale: 0.01);

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_job_interrupted_by_a_graceful_stop_stays_pending_and_another_worker_finishes_it()
    {
        var store = new JobStore(_redis.Connection!, TimeProvider.System);
        var job = JobRecoveryTests.NewJob() with { Stages = JobKinds.StagesOf(JobKind.Research) };
        await store.CreateAsync(job);

        Dictionary<int, string> finishedBeforeStop;
        using (var first = WorkerHost.Build(_redis, _emulator))
        {
            await first.StartAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!(await store.GetAsync(job.Id))!.Stages.Values.Any(s => s.Status == StageStatus.Succeeded))
            {
                await Task.Delay(20, timeout.Token);
            }
            await first.StopAsync();
        }
        var stopped = (await store.GetAsync(job.Id))!;
        finishedBeforeStop = stopped.Stages.Values.Where(s => s.Status == StageStatus.Succeeded)
            .ToDictionary(s => s.Stage, s => PipelineJson.Serialize(s));
        var pending = await _redis.Connection!.GetDatabase().StreamPendingAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup);
        output.WriteLine($"after the stop: job {stopped.Status}, stages done {string.Join(", ", finishedBeforeStop.Keys)}, pending entries {pending.PendingMessageCount}");

        Assert.Equal(JobStatus.Running, stopped.Status);
        Assert.DoesNotContain(stopped.Stages.Values, s => s.Status is StageStatus.Failed or StageStatus.Cancelled or StageStatus.Skipped);
        Assert.Equal(1, pending.PendingMessageCount);

        using var second = WorkerHost.Build(_redis, _emulator);
        await second.StartAsync();
        var done = await JobRecoveryTests.WaitForTerminalAsync(store, job.Id);
        await second.StopAsync();

        Assert.Equal(JobStatus.Succeeded, done.Status);
        foreach (var (stage, before) in finishedBeforeStop)
        {
            Assert.Equal(before, PipelineJson.Serialize(done.Stages[stage]));
        }
        foreach (var stage in job.Stages)
        {
            Assert.Equal(1, await store.CountOutputVersionsAsync(job.Id, stage));
        }
    }
}
