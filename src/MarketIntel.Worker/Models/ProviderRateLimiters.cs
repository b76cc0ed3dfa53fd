using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using MarketIntel.Storage;
using StackExchange.Redis;

namespace MarketIntel.Worker.Models;

/// <summary>
/// One rate limiter per provider, shared by all of its models in this worker and, through Redis, with every other worker:
/// the provider's <c>RequestsPerMinute</c> holds for the whole deployment, however many workers run.
/// </summary>
public sealed class ProviderRateLimiters(IConnectionMultiplexer redis, IReadOnlyDictionary<string, int> requestsPerMinute, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, RateLimiter> _limiters = new(StringComparer.Ordinal);

    public RateLimiter For(string provider) => _limiters.GetOrAdd(provider, p =>
        new RedisSlidingWindowRateLimiter(redis, p, requestsPerMinute[p], TimeSpan.FromMinutes(1), time));

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
