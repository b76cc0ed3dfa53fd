using MarketIntel.Storage;
using StackExchange.Redis;

namespace MarketIntel.Worker.Jobs;

/// <summary>
/// Reads the job queue's depth every few seconds for the <c>marketintel.queue.depth</c> gauge: entries no worker has
/// taken yet (the group's lag) plus entries taken and not yet finished (pending). Sampled in the background so the
/// metric export never waits on Redis.
/// </summary>
public sealed class QueueDepthSampler(IConnectionMultiplexer redis, PipelineTelemetry telemetry, TimeProvider time, ILogger<QueueDepthSampler> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await SampleAsync();
            }
            catch (RedisException e)
            {
                // Redis is down or restarting: keep the last value, the next tick tries again.
                logger.LogDebug(e, "Queue depth not sampled");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task SampleAsync()
    {
        var db = redis.GetDatabase();
        if (!await db.KeyExistsAsync(RedisKeys.JobQueue))
        {
            telemetry.SetQueueDepth(0);
            return;
        }
        var group = (await db.StreamGroupInfoAsync(RedisKeys.JobQueue)).FirstOrDefault(g => g.Name == RedisKeys.WorkerGroup);
        // Without the group (no worker has started yet) every entry is waiting.
        var depth = group.Name is null
            ? await db.StreamLengthAsync(RedisKeys.JobQueue)
            : (group.Lag ?? 0) + group.PendingMessageCount;
        telemetry.SetQueueDepth(depth);
    }
}
