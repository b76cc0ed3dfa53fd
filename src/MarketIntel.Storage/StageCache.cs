using MarketIntel.Pipeline;
using StackExchange.Redis;

namespace MarketIntel.Storage;

/// <summary>Content-addressed store of validated stage outputs. Only valid outputs enter, so a hit is always usable.</summary>
public sealed class StageCache(IConnectionMultiplexer redis)
{
    /// <summary>Long enough to rerun a job weeks later; bounded so the cache cannot grow forever.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public async Task<CachedStageOutput?> GetAsync(string cacheKey)
    {
        var value = await redis.GetDatabase().StringGetAsync(RedisKeys.StageCache(cacheKey));
        return value.IsNull ? null : PipelineJson.Deserialize<CachedStageOutput>(value.ToString());
    }

    public Task SetAsync(string cacheKey, CachedStageOutput output) =>
        redis.GetDatabase().StringSetAsync(RedisKeys.StageCache(cacheKey), PipelineJson.Serialize(output), Lifetime);
}
