using StackExchange.Redis;

namespace MarketIntel.Storage;

/// <summary>Which provider answers each model, as the workers last announced it (the pages show "running on the emulator").</summary>
public sealed class ServingStore(IConnectionMultiplexer redis)
{
    /// <summary>Who answers a model whose provider has no credentials.</summary>
    public const string Emulator = "emulator";

    public Task PublishAsync(IReadOnlyDictionary<string, string> servedBy) =>
        redis.GetDatabase().HashSetAsync(RedisKeys.ModelServing, servedBy.Select(p => new HashEntry(p.Key, p.Value)).ToArray());

    public async Task<IReadOnlyDictionary<string, string>> GetAsync() =>
        (await redis.GetDatabase().HashGetAllAsync(RedisKeys.ModelServing)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
}
