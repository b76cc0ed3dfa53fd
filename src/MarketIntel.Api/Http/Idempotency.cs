using System.Security.Cryptography;
using System.Text;
using MarketIntel.Storage;
using StackExchange.Redis;

namespace MarketIntel.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> support for job submission: the first request with a key creates the job, a retry with the same
/// key and the same body gets that job back, the same key with another body is a conflict. The key is hashed before it
/// goes near a Redis key.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>How long a key is remembered; client retries happen within minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public const int MaxKeyLength = 200;

    public static string? Validate(string key) =>
        key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')
            ? $"must be 1-{MaxKeyLength} visible ASCII characters."
            : null;

    /// <summary>Reserves <paramref name="key"/> for <paramref name="jobId"/>; otherwise tells which job holds it.</summary>
    public async Task<IdempotencyOutcome> ReserveAsync(string key, string requestFingerprint, string jobId)
    {
        var redisKey = RedisKeys.Idempotency(Hash(key));
        var value = $"{jobId}:{Hash(requestFingerprint)}";
        var db = redis.GetDatabase();
        if (await db.StringSetAsync(redisKey, value, Lifetime, When.NotExists))
        {
            return new IdempotencyOutcome(Reserved: true, ExistingJobId: null, SameRequest: true);
        }
        var existing = (string?)await db.StringGetAsync(redisKey) ?? value;
        var separator = existing.IndexOf(':');
        return new IdempotencyOutcome(
            Reserved: false,
            ExistingJobId: existing[..separator],
            SameRequest: existing[(separator + 1)..] == Hash(requestFingerprint));
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal TimeProvider Time => time;
}

public sealed record IdempotencyOutcome(bool Reserved, string? ExistingJobId, bool SameRequest);
