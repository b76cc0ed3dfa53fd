using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace MarketIntel.Worker.Tests;

/// <summary>
/// Redis (append-only, fsync on every write) is killed and restarted while a real worker host runs jobs: every job still
/// succeeds, no job, edit or routing version is lost, and the worker reconnects by itself.
/// </summary>
public sealed class RedisRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    public const int Jobs = 8;
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(3);

    private readonly RedisServer _redis = new();
    private readonly EmulatorFactory _emulator = new(latencyScale: 0.01);

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Jobs_running_while_redis_is_killed_and_restarted_all_succeed_and_nothing_stored_is_lost()
    {
        using var host = WorkerHost.Build(_redis, _emulator);
        var store = host.Services.GetRequiredService<JobStore>();
        var routing = host.Services.GetRequiredService<RoutingStore>();
        var db = _redis.Connection!.GetDatabase();

        // Something of every kind stored before the outage: a routing version, an edited output.
        await routing.ChangeAsync(doc => doc with { Stages = new(doc.Stages) { [2] = doc.For(2) with { TimeoutSeconds = 60 } } },
            "change", "test", "before the outage", approved: true);
        var edited = JobRecoveryTests.NewJob();
        await store.CreateAsync(edited);
        await store.SetStatusAsync(edited.Id, JobStatus.Succeeded); // a finished job the worker leaves alone
        var validation = new ValidationResult(1, "test", [], [], 100, new ValidationMetrics(1, 0, 0, 2));
        await store.AppendOutputAsync(edited.Id, 1, v => new StageOutputVersion { Version = v, Source = OutputSource.Model, Content = "{}", CreatedAt = DateTimeOffset.UtcNow, Validation = validation });
        await store.AppendOutputAsync(edited.Id, 1, v => new StageOutputVersion { Version = v, Source = OutputSource.User, Content = "{\"edited\":true}", CreatedAt = DateTimeOffset.UtcNow, Validation = validation });

        await host.StartAsync();
        var jobs = Enumerable.Range(0, Jobs).Select(i => Distinct(JobRecoveryTests.NewJob(), i)).ToList();
        foreach (var job in jobs)
        {
            await store.CreateAsync(job);
        }
        var before = await CountAsync(db);

        // Mid-run: some stages done, others in flight.
        await WaitUntilAsync(async () => (await Task.WhenAll(jobs.Select(j => store.GetAsync(j.Id))))
            .Sum(j => j!.Stages.Values.Count(s => s.Status == StageStatus.Succeeded)) >= 3);
        var doneBefore = (await Task.WhenAll(jobs.Select(j => store.GetAsync(j.Id)))).Count(j => j!.Status == JobStatus.Succeeded);
        await _redis.RestartAsync(Downtime);

        var finished = new List<JobSnapshot>();
        foreach (var job in jobs)
        {
            finished.Add(await JobRecoveryTests.WaitForTerminalAsync(store, job.Id));
        }
        var after = await CountAsync(db);
        await host.StopAsync();

        output.WriteLine($"{Jobs} jobs, {doneBefore} finished before the restart; Redis down {Downtime.TotalSeconds} s; "
            + $"after: {finished.Count(j => j.Status == JobStatus.Succeeded)} succeeded; counts before {before}, after {after}");
        Artifacts.Write("redis-restart.json", new
        {
            jobs = Jobs,
            finishedBeforeRestart = doneBefore,
            downtimeSeconds = Downtime.TotalSeconds,
            succeeded = finished.Count(j => j.Status == JobStatus.Succeeded),
            lost = Jobs - finished.Count,
            before = before.ToString(),
            after = after.ToString(),
        });

        Assert.All(finished, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.Equal(before.Jobs, after.Jobs);
        Assert.Equal(before.RoutingVersions, after.RoutingVersions);
        Assert.Equal(before.RoutingHistory, after.RoutingHistory);
        Assert.Equal(2, await store.CountOutputVersionsAsync(edited.Id, 1));
        Assert.Equal(OutputSource.User, (await store.GetLatestOutputAsync(edited.Id, 1))!.Source);
        foreach (var job in finished)
        {
            foreach (var stage in job.Record.Stages)
            {
                Assert.Equal(1, await store.CountOutputVersionsAsync(job.Record.Id, stage));
            }
        }
        // Nothing left pending: every entry was acknowledged by the reconnected worker.
        var pending = await db.StreamPendingAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup);
        Assert.Equal(0, pending.PendingMessageCount);
    }

    /// <summary>A distinct profile per job, so the stage cache cannot answer one job with another's output.</summary>
    internal static JobRecord Distinct(JobRecord job, int index) =>
        job with { Profile = job.Profile with { BusinessName = $"{job.Profile.BusinessName} {index}" } };

    private sealed record Counts(long Jobs, long RoutingVersions, long RoutingHistory)
    {
        public override string ToString() => $"jobs {Jobs}, routing versions {RoutingVersions}, history {RoutingHistory}";
    }

    private static async Task<Counts> CountAsync(IDatabase db) => new(
        await db.SortedSetLengthAsync(RedisKeys.JobIndex),
        await db.HashLengthAsync(RedisKeys.RoutingVersions),
        await db.ListLengthAsync(RedisKeys.RoutingHistory));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
