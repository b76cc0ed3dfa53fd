using System.ComponentModel.DataAnnotations;
using MarketIntel.Storage;
using MarketIntel.Worker.Evaluation;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketIntel.Worker.Jobs;

public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Jobs one worker runs at a time; stages inside a job also run concurrently.</summary>
    [Range(1, 256)]
    public int MaxConcurrentJobs { get; init; } = 8;

    /// <summary>A queue entry idle this long belongs to a dead worker and is claimed by another.</summary>
    public TimeSpan ClaimIdleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle worker waits for a wake-up before it polls the queue anyway.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Consumes the job stream as a member of the worker group (docs/architecture.md §2.2). New entries are read with XREADGROUP; entries
/// left pending by a dead worker are taken over with XAUTOCLAIM. While a job runs, its entry is re-claimed by this
/// worker periodically (so it never looks idle) and a lease in Redis keeps a second worker from running it twice.
/// </summary>
public sealed class JobQueueConsumer(
    IConnectionMultiplexer redis,
    JobRunner runner,
    EvaluationRunner evaluations,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<JobQueueConsumer> logger) : BackgroundService
{
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _wake = new(0);

    public string ConsumerName => _consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await EnsureGroupAsync(stoppingToken);
        var subscriber = redis.GetSubscriber();
        await subscriber.SubscribeAsync(RedisChannel.Literal(RedisKeys.JobQueuedChannel), (_, _) => Wake());

        logger.LogInformation("Worker {Consumer} consuming {Queue} with up to {Jobs} concurrent jobs", _consumer, RedisKeys.JobQueue, settings.MaxConcurrentJobs);
        using var slots = new SemaphoreSlim(settings.MaxConcurrentJobs);
        var running = new List<Task>();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                var entry = await NextEntryAsync(settings);
                if (entry is null)
                {
                    slots.Release();
                    await WaitForWorkAsync(settings.PollInterval, stoppingToken);
                    continue;
                }
                running.RemoveAll(t => t.IsCompleted);
                running.Add(ProcessAsync(entry.Value, settings, stoppingToken).ContinueWith(_ => slots.Release(), TaskScheduler.Default));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Redis is restarting or unreachable: keep the worker alive and try again shortly.
                slots.Release();
                logger.LogWarning("Job queue unavailable ({Error}); retrying", e.Message);
                await Task.Delay(settings.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        // Graceful stop: no new jobs; running ones stop at their next cancellation point and stay pending for a claim.
        await Task.WhenAll(running);
        await subscriber.UnsubscribeAsync(RedisChannel.Literal(RedisKeys.JobQueuedChannel));
    }

    private async Task<StreamEntry?> NextEntryAsync(WorkerOptions settings)
    {
        var db = redis.GetDatabase();
        var claimed = await db.StreamAutoClaimAsync(
            RedisKeys.JobQueue, RedisKeys.WorkerGroup, _consumer, (long)settings.ClaimIdleAfter.TotalMilliseconds, "0-0", count: 1);
        if (claimed.ClaimedEntries is [var stale, ..] && !stale.IsNull)
        {
            logger.LogInformation("Claimed job entry {EntryId} abandoned by another worker", stale.Id);
            return stale;
        }
        var entries = await db.StreamReadGroupAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup, _consumer, ">", count: 1);
        return entries is [var next, ..] ? next : null;
    }

    private async Task ProcessAsync(StreamEntry entry, WorkerOptions settings, CancellationToken stoppingToken)
    {
        // An entry carries either a job or an evaluation (field "evaluation"); both run under a lease and a heartbeat.
        var evaluationId = entry[EvaluationStore.QueueField];
        var jobId = evaluationId.IsNull ? entry["job"].ToString() : evaluationId.ToString();
        var db = redis.GetDatabase();
        var leaseKey = evaluationId.IsNull ? RedisKeys.JobLease(jobId) : RedisKeys.EvaluationLease(jobId);
        // The lease outlives the claim threshold: a live worker whose heartbeat is late (a busy machine) keeps its job
        // even if its entry is claimed; only a worker silent for twice the threshold loses it.
        var leaseTime = settings.ClaimIdleAfter * 2;
        // One token per run, not per worker: a run that lost its lease must not pass for a newer run of the same worker.
        var owner = $"{_consumer}/{Guid.NewGuid():N}";
        var leased = false;
        try
        {
            if (!await db.StringSetAsync(leaseKey, owner, leaseTime, When.NotExists))
            {
                // Possibly this very worker, still running the job after a late heartbeat let its entry be claimed:
                // the lease is not ours to release here.
                logger.LogInformation("Job {JobId} is running on {Owner}; leaving it", jobId, (string?)await db.StringGetAsync(leaseKey));
                return;
            }
            leased = true;

            using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var heartbeat = HeartbeatAsync(entry.Id, leaseKey, leaseTime, heartbeatStop.Token);
            try
            {
                await (evaluationId.IsNull ? runner.RunAsync(jobId, stoppingToken, owner) : evaluations.RunAsync(jobId, stoppingToken));
            }
            finally
            {
                await heartbeatStop.CancelAsync();
                await heartbeat;
            }

            if (!stoppingToken.IsCancellationRequested)
            {
                await db.StreamAcknowledgeAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup, entry.Id);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Stopping: job {JobId} left pending for another worker", jobId);
        }
        catch (Exception e)
        {
            // Not acknowledged: the entry stays pending and is claimed again after ClaimIdleAfter.
            logger.LogError(e, "Job {JobId} could not be processed; it will be retried", jobId);
        }
        finally
        {
            if (leased)
            {
                await ReleaseLeaseAsync(db, leaseKey, owner);
            }
        }
    }

    /// <summary>Keeps the entry and the lease fresh while the job runs, so nobody mistakes this worker for dead.</summary>
    private async Task HeartbeatAsync(RedisValue entryId, RedisKey leaseKey, TimeSpan leaseTime, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var interval = leaseTime / 3;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, cancellationToken);
                await db.StreamClaimIdsOnlyAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup, _consumer, 0, [entryId]);
                await db.KeyExpireAsync(leaseKey, leaseTime);
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended.
        }
        catch (RedisException e)
        {
            logger.LogWarning("Heartbeat failed ({Error}); the job may be claimed by another worker", e.Message);
        }
    }

    private async Task ReleaseLeaseAsync(IDatabase db, RedisKey leaseKey, string owner)
    {
        try
        {
            // Only our own lease: compare and delete in one step.
            await db.ScriptEvaluateAsync(
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
                [leaseKey], [owner]);
        }
        catch (RedisException e)
        {
            logger.LogWarning("Could not release lease {Lease}: {Error}; it expires by itself", (string?)leaseKey, e.Message);
        }
    }

    private async Task EnsureGroupAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await redis.GetDatabase().StreamCreateConsumerGroupAsync(RedisKeys.JobQueue, RedisKeys.WorkerGroup, "0-0", createStream: true);
                return;
            }
            catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogWarning("Waiting for Redis: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private async Task WaitForWorkAsync(TimeSpan pollInterval, CancellationToken stoppingToken)
    {
        await _wake.WaitAsync(pollInterval, stoppingToken);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
