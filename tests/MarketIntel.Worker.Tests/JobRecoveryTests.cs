using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Samples;
using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace MarketIntel.Worker.Tests;

public sealed class JobRecoveryTests : RedisAndEmulatorTest
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_job_left_pending_by_a_dead_worker_is_claimed_and_finished_by_another()
    {
        var store = new JobStore(Redis.Connection!, TimeProvider.System);
        var job = NewJob();
        await store.CreateAsync(job);
        await EnsureGroupAsync();
        // A worker reads the entry and dies before acknowledging it.
        var taken = await Redis.Connection!.GetDatabase().StreamReadGroupAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup, "dead-worker", ">", count: 1);
        Assert.Single(taken);

        using var host = WorkerHost.Build(Redis, Emulator);
        await host.StartAsync();
        var finished = await WaitForTerminalAsync(store, job.Id);
        await host.StopAsync();

        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.All(finished.Stages.Values, s => Assert.Equal(StageStatus.Succeeded, s.Status));
        var pending = await Redis.Connection.GetDatabase().StreamPendingAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup);
        Assert.Equal(0, pending.PendingMessageCount);
    }

    [Fact]
    public async Task A_run_that_no_longer_holds_the_lease_stores_no_stage_output()
    {
        var store = new JobStore(Redis.Connection!, TimeProvider.System);
        var job = NewJob() with { Stages = [1] };
        await store.CreateAsync(job);
        var state = new StageState { Stage = 1, Name = "Market Analysis", Status = StageStatus.Succeeded };
        StageOutputVersion Output(int version) => new()
        {
            Version = version,
            Source = OutputSource.Model,
            CreatedAt = DateTimeOffset.UtcNow,
            Content = "{}",
            Validation = new Pipeline.Validation.ValidationResult(1, "Market Analysis", [], [], 100, new Pipeline.Validation.ValidationMetrics(1, 0, 0, 2)),
        };
        // Another run took the job after this run's lease expired (a Redis restart, a stalled heartbeat).
        await Redis.Connection!.GetDatabase().StringSetAsync(RedisKeys.JobLease(job.Id), "worker-a/new-run");

        await Assert.ThrowsAsync<JobLeaseLostException>(() => store.CompleteStageAsync(job.Id, state, Output, leaseOwner: "worker-a/old-run"));
        Assert.Equal(0, await store.CountOutputVersionsAsync(job.Id, 1));

        Assert.Equal(1, await store.CompleteStageAsync(job.Id, state, Output, leaseOwner: "worker-a/new-run"));
        Assert.Equal(1, await store.CountOutputVersionsAsync(job.Id, 1));
    }

    [Fact]
    public async Task A_resumed_job_does_not_run_the_stages_it_had_finished()
    {
        var store = new JobStore(Redis.Connection!, TimeProvider.System);
        var first = NewJob();
        await store.CreateAsync(first);
        using (var host = WorkerHost.Build(Redis, Emulator))
        {
            await host.StartAsync();
            await WaitForTerminalAsync(store, first.Id);
            await host.StopAsync();
        }
        var done = await store.GetAsync(first.Id);
        var stage1 = done!.Stages[1];

        // The same job as if a worker had died after stage 1: stage 1 stays done, the rest is pending again.
        var resumed = NewJob();
        await store.CreateAsync(resumed);
        var output = await store.GetLatestOutputAsync(first.Id, 1);
        await store.AppendOutputAsync(resumed.Id, 1, _ => output!);
        await store.SetStageAsync(resumed.Id, stage1);
        using (var host = WorkerHost.Build(Redis, Emulator))
        {
            await host.StartAsync();
            var finished = await WaitForTerminalAsync(store, resumed.Id);
            await host.StopAsync();

            Assert.Equal(JobStatus.Succeeded, finished.Status);
            Assert.Equal(stage1.Attempts.Count, finished.Stages[1].Attempts.Count);
            Assert.Equal(1, await store.CountOutputVersionsAsync(resumed.Id, 1));
        }
    }

    internal static JobRecord NewJob()
    {
        var sample = SampleSuite.Get("wealth-executive-coaching");
        return new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = JobKind.Research,
            Profile = sample.Profile,
            CreatedAt = DateTimeOffset.UtcNow,
            Stages = [1, 2, 3],
        };
    }

    private async Task EnsureGroupAsync()
    {
        try
        {
            await Redis.Connection!.GetDatabase().StreamCreateConsumerGroupAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup, "0-0");
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP"))
        {
        }
    }

    internal static async Task<JobSnapshot> WaitForTerminalAsync(JobStore store, string jobId, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? JobTimeout);
        while (true)
        {
            var job = await store.GetAsync(jobId);
            if (job!.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled)
            {
                return job;
            }
            await Task.Delay(100, timeout.Token);
        }
    }
}
