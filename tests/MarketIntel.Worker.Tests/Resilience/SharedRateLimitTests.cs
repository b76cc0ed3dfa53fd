using MarketIntel.Storage;
using MarketIntel.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace MarketIntel.Worker.Tests.Resilience;

/// <summary>
/// The provider's rate limit holds across workers (issue 16): three workers, each with its own Redis connection and its
/// own limiter, share one sliding window in Redis. On a fake clock, so nothing depends on the machine's speed.
/// </summary>
public sealed class SharedRateLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task Three_workers_over_the_limit_queue_and_the_provider_never_sees_more_than_the_limit_in_any_minute()
    {
        const int limit = 5;
        const int callsPerWorker = 8;
        var time = new ArmedTimerClock(new DateTimeOffset(2026, 1, 26, 2, 15, 0, TimeSpan.Zero));
        var seen = new List<DateTimeOffset>();
        var workers = new List<(IConnectionMultiplexer Connection, RedisSlidingWindowRateLimiter Limiter)>();
        for (var w = 0; w < 3; w++)
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
            workers.Add((connection, new RedisSlidingWindowRateLimiter(connection, "workers-ai", limit, Minute, time)));
        }

        // Every call asks its worker's limiter, then reaches "the provider", which notes the time it arrived.
        var calls = workers.SelectMany(w => Enumerable.Range(0, callsPerWorker).Select(async _ =>
        {
            using var lease = await w.Limiter.AcquireAsync();
            Assert.True(lease.IsAcquired);
            lock (seen)
            {
                seen.Add(time.GetUtcNow());
            }
        })).ToList();
        var all = Task.WhenAll(calls);
        // The clock moves only when every waiting call sits on its timer, so no grant happens between two readings of it.
        await DriveAsync(time, calls, all).WaitAsync(TimeSpan.FromSeconds(60));
        await all;

        Assert.Equal(3 * callsPerWorker, seen.Count);
        seen.Sort();
        foreach (var start in seen)
        {
            var inMinute = seen.Count(t => t >= start && t < start + Minute);
            Assert.True(inMinute <= limit, $"{inMinute} requests reached the provider in the minute from {start:HH:mm:ss}");
        }
        // 24 calls at 5 a minute: the last one waited for the fifth window, so nobody was refused and nobody jumped it.
        Assert.True(seen[^1] - seen[0] >= 4 * Minute, $"first {seen[0]:HH:mm:ss}, last {seen[^1]:HH:mm:ss}");

        foreach (var (connection, limiter) in workers)
        {
            limiter.Dispose();
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_call_under_the_limit_is_granted_at_once_and_recorded_in_Redis_for_the_other_workers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 26, 2, 15, 0, TimeSpan.Zero));
        using var first = new RedisSlidingWindowRateLimiter(_redis.Connection!, "workers-ai", 2, Minute, time);
        using var second = new RedisSlidingWindowRateLimiter(_redis.Connection!, "workers-ai", 2, Minute, time);

        using var a = first.AttemptAcquire();
        using var b = second.AttemptAcquire();
        using var refused = first.AttemptAcquire();

        Assert.True(a.IsAcquired && b.IsAcquired);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(Minute, retryAfter);
        Assert.Equal(2, await _redis.Connection!.GetDatabase().SortedSetLengthAsync(RedisKeys.ProviderRateLimit("workers-ai")));
    }

    /// <summary>Without Redis no worker knows what the others sent: a call waits (as over the limit) instead of failing or going uncounted.</summary>
    [Fact]
    public async Task While_Redis_is_unreachable_a_call_waits_for_it_instead_of_failing()
    {
        var time = new ArmedTimerClock(new DateTimeOffset(2026, 1, 26, 2, 15, 0, TimeSpan.Zero));
        // A port nobody listens on: every command fails with a connection error.
        await using var nowhere = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{FreePort()},abortConnect=false,connectTimeout=200,asyncTimeout=200,syncTimeout=200,connectRetry=0");
        using var limiter = new RedisSlidingWindowRateLimiter(nowhere, "workers-ai", 5, Minute, time);
        using var cancel = new CancellationTokenSource();

        var call = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await WaitingOrDoneAsync(time, call).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(call.IsCompleted, call.IsFaulted ? call.Exception!.GetBaseException().Message : "granted without Redis");
        // It asks again after the interval, finds no Redis again, and waits again.
        time.Advance(RedisSlidingWindowRateLimiter.RedisRetryInterval);
        await WaitingOrDoneAsync(time, call).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(call.IsCompleted, call.IsFaulted ? call.Exception!.GetBaseException().Message : "granted without Redis");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task WaitingOrDoneAsync(ArmedTimerClock time, Task call)
    {
        while (time.Armed == 0 && !call.IsCompleted)
        {
            await Task.Delay(10);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_worker_s_model_calls_take_their_permits_from_the_window_in_Redis()
    {
        await using var emulator = new EmulatorFactory();
        using var host = WorkerHost.Build(_redis, emulator);
        var client = host.Services.GetRequiredKeyedService<IChatClient>("@cf/meta/llama-3.1-70b-instruct");

        await client.GetResponseAsync("Say hello.");
        await client.GetResponseAsync("Say hello again.");

        Assert.Equal(2, await _redis.Connection!.GetDatabase().SortedSetLengthAsync(RedisKeys.ProviderRateLimit("workers-ai")));
    }

    /// <summary>Advances a second at a time whenever every unfinished call is parked on a timer of the clock.</summary>
    private static async Task DriveAsync(ArmedTimerClock time, List<Task> calls, Task all)
    {
        while (!all.IsCompleted)
        {
            if (time.Armed == calls.Count(c => !c.IsCompleted))
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }
            await Task.Delay(1);
        }
    }

    /// <summary>A fake clock that counts the timers waiting on it (the limiter's waits), so the test knows when all is still.</summary>
    private sealed class ArmedTimerClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private int _armed;

        public int Armed => Volatile.Read(ref _armed);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _armed);
            return base.CreateTimer(s =>
            {
                Interlocked.Decrement(ref _armed);
                callback(s);
            }, state, dueTime, period);
        }
    }
}
