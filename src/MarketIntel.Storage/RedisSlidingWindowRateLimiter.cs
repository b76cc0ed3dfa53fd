using System.Globalization;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace MarketIntel.Storage;

/// <summary>
/// A provider's request limit shared by every worker: a sliding window kept in Redis (a sorted set of the grants of the
/// last window, <see cref="RedisKeys.ProviderRateLimit"/>) and decided by one script, so N workers together never exceed
/// <c>permitLimit</c> per window. A request over the limit waits until the oldest grant leaves the window and asks again:
/// like the in-process limiter it replaces, it queues rather than fails. Time comes from the given clock (the workers'
/// clocks, kept in step by NTP), so the window is testable on a fake clock.
/// </summary>
public sealed class RedisSlidingWindowRateLimiter : RateLimiter
{
    /// <summary>
    /// Drops the grants that left the window; grants <c>ARGV[4]</c> permits when they fit (returns 0), otherwise returns
    /// how many milliseconds remain until enough of the oldest grants have left. 0 permits asks whether one would fit.
    /// </summary>
    private const string Script = """
        local key = KEYS[1]
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        local permits = tonumber(ARGV[4])
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        local used = redis.call('ZCARD', key)
        local needed = math.max(permits, 1)
        if used + needed <= limit then
          for i = 1, permits do
            redis.call('ZADD', key, now, ARGV[5] .. ':' .. i)
          end
          redis.call('PEXPIRE', key, window)
          return 0
        end
        local freeing = redis.call('ZRANGE', key, used + needed - limit - 1, used + needed - limit - 1, 'WITHSCORES')
        return tonumber(freeing[2]) + window - now
        """;

    /// <summary>How often a call waiting for an unreachable Redis asks again.</summary>
    public static readonly TimeSpan RedisRetryInterval = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKey _key;
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public RedisSlidingWindowRateLimiter(IConnectionMultiplexer redis, string provider, int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _redis = redis;
        _key = RedisKeys.ProviderRateLimit(provider);
        _permitLimit = permitLimit;
        _window = window;
        _time = time;
    }

    /// <summary>The limiter holds no permits of its own (they live in Redis), so it is never idle in the sense asked.</summary>
    public override TimeSpan? IdleDuration => null;

    /// <summary>The counts live in Redis, shared with other processes; there are no local statistics to give.</summary>
    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckCount(permitCount);
        var wait = (long)_redis.GetDatabase().ScriptEvaluate(Script, [_key], Arguments(permitCount));
        return wait == 0 ? Lease.Granted : Lease.Refused(TimeSpan.FromMilliseconds(wait));
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckCount(permitCount);
        while (true)
        {
            long wait;
            try
            {
                wait = (long)await _redis.GetDatabase().ScriptEvaluateAsync(Script, [_key], Arguments(permitCount));
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                // Without Redis nobody can tell how many requests the other workers sent: the call waits for Redis to
                // come back (as the job's own writes do) rather than fail, or go to the provider uncounted.
                wait = (long)RedisRetryInterval.TotalMilliseconds;
            }
            if (wait == 0)
            {
                return Lease.Granted;
            }
            // Another worker may take the freed slot first; then the script says how long to wait again.
            await Task.Delay(TimeSpan.FromMilliseconds(wait), _time, cancellationToken);
        }
    }

    private void CheckCount(int permitCount)
    {
        if (permitCount < 0 || permitCount > _permitLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"At most {_permitLimit} permits can be asked for at once.");
        }
    }

    private RedisValue[] Arguments(int permitCount) =>
    [
        _time.GetUtcNow().ToUnixTimeMilliseconds(),
        (long)_window.TotalMilliseconds,
        _permitLimit,
        permitCount,
        // Members must be unique, or two grants in the same millisecond would count once.
        Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture),
    ];

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
