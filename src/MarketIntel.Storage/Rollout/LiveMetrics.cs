using System.Globalization;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Rollout;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketIntel.Storage.Rollout;

/// <summary>The aggregate of one stage and model over the canary window.</summary>
public sealed record LiveWindow
{
    public required int Stage { get; init; }
    public required string Model { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public long Requests { get; init; }
    public long Errors { get; init; }
    public long ParseFailures { get; init; }
    public long ValidationFailures { get; init; }
    public long Placeholders { get; init; }
    public long QualityCount { get; init; }
    public double QualitySum { get; init; }
    public int LatencySamples { get; init; }
    public double? P95LatencyMs { get; init; }
    public decimal Cost { get; init; }

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    public double? MeanQuality => QualityCount == 0 ? null : QualitySum / QualityCount;

    public JsonObject ToJson() => new()
    {
        ["stage"] = Stage,
        ["model"] = Model,
        ["from"] = From.ToString("O", CultureInfo.InvariantCulture),
        ["to"] = To.ToString("O", CultureInfo.InvariantCulture),
        ["requests"] = Requests,
        ["errors"] = Errors,
        ["error_rate"] = Math.Round(ErrorRate, 4),
        ["parse_failures"] = ParseFailures,
        ["validation_failures"] = ValidationFailures,
        ["placeholders"] = Placeholders,
        ["mean_quality"] = MeanQuality is { } q ? Math.Round(q, 2) : null,
        ["p95_latency_ms"] = P95LatencyMs is { } p ? Math.Round(p, 1) : null,
        ["latency_samples"] = LatencySamples,
        ["cost"] = Cost,
    };
}

/// <summary>
/// Live metrics of every stage attempt, shared by all workers: Redis hashes per stage, model and UTC minute (expiring
/// after the window), read back as a sliding-window aggregate for canary analysis. Recording never fails a stage.
/// </summary>
public sealed class LiveMetrics(IConnectionMultiplexer redis, IOptionsMonitor<RolloutOptions> options, TimeProvider time, ILogger<LiveMetrics> logger)
{
    /// <summary>Latency samples kept per stage, model and minute (the newest ones).</summary>
    public const int LatencySamplesPerBucket = 200;

    private const string ParseFailurePrefix1 = "The reply contained no JSON object";
    private const string ParseFailurePrefix2 = "The reply's JSON is malformed";
    private const string PlaceholderMarker = "contains a placeholder";

    /// <summary>Records one attempt (cache hits and cancellations are not model requests and are skipped).</summary>
    public async Task RecordAsync(int stage, StageAttempt attempt)
    {
        if (attempt.Outcome is AttemptOutcome.Cached or AttemptOutcome.Cancelled)
        {
            return;
        }
        try
        {
            var minute = Minute(time.GetUtcNow());
            var key = RedisKeys.LiveMetrics(stage, attempt.Model, minute);
            var latencyKey = RedisKeys.LiveLatency(stage, attempt.Model, minute);
            var expiry = options.CurrentValue.CanaryThresholds.Window + TimeSpan.FromMinutes(2);
            var batch = redis.GetDatabase().CreateBatch();
            var tasks = new List<Task>
            {
                batch.HashIncrementAsync(key, "requests"),
            };
            switch (attempt.Outcome)
            {
                case AttemptOutcome.ProviderError:
                    tasks.Add(batch.HashIncrementAsync(key, "errors"));
                    break;
                case AttemptOutcome.Invalid when attempt.Errors.Any(e => e.StartsWith(ParseFailurePrefix1, StringComparison.Ordinal) || e.StartsWith(ParseFailurePrefix2, StringComparison.Ordinal)):
                    tasks.Add(batch.HashIncrementAsync(key, "parse_failures"));
                    break;
                case AttemptOutcome.Invalid:
                    tasks.Add(batch.HashIncrementAsync(key, "validation_failures"));
                    break;
            }
            var placeholders = Math.Max(attempt.Placeholders, attempt.Errors.Count(e => e.Contains(PlaceholderMarker, StringComparison.Ordinal)));
            if (placeholders > 0)
            {
                tasks.Add(batch.HashIncrementAsync(key, "placeholders", placeholders));
            }
            if (attempt.QualityScore is { } quality)
            {
                tasks.Add(batch.HashIncrementAsync(key, "quality_sum", quality));
                tasks.Add(batch.HashIncrementAsync(key, "quality_count"));
            }
            if (attempt.Outcome != AttemptOutcome.ProviderError)
            {
                tasks.Add(batch.ListLeftPushAsync(latencyKey, attempt.DurationMs.ToString("R", CultureInfo.InvariantCulture)));
                tasks.Add(batch.ListTrimAsync(latencyKey, 0, LatencySamplesPerBucket - 1));
                tasks.Add(batch.KeyExpireAsync(latencyKey, expiry));
            }
            if (attempt.Cost != 0)
            {
                tasks.Add(batch.HashIncrementAsync(key, "cost", (double)attempt.Cost));
            }
            tasks.Add(batch.KeyExpireAsync(key, expiry));
            batch.Execute();
            await Task.WhenAll(tasks);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Live metrics of stage {Stage} on {Model} were not recorded", stage, attempt.Model);
        }
    }

    /// <summary>The aggregate of <paramref name="stage"/> on <paramref name="model"/> over the last window (whole minutes).</summary>
    public async Task<LiveWindow> WindowAsync(int stage, string model)
    {
        var now = time.GetUtcNow();
        var window = options.CurrentValue.CanaryThresholds.Window;
        var first = Minute(now - window);
        var last = Minute(now);
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var buckets = new List<(Task<HashEntry[]> Counters, Task<RedisValue[]> Latency)>();
        for (var minute = first; minute <= last; minute++)
        {
            buckets.Add((batch.HashGetAllAsync(RedisKeys.LiveMetrics(stage, model, minute)),
                batch.ListRangeAsync(RedisKeys.LiveLatency(stage, model, minute))));
        }
        batch.Execute();

        var totals = new Dictionary<string, double>();
        var latencies = new List<double>();
        foreach (var (counters, latency) in buckets)
        {
            foreach (var entry in await counters)
            {
                totals[entry.Name!] = totals.GetValueOrDefault(entry.Name!) + double.Parse(entry.Value.ToString(), CultureInfo.InvariantCulture);
            }
            latencies.AddRange((await latency).Select(v => double.Parse(v.ToString(), CultureInfo.InvariantCulture)));
        }
        long Count(string name) => (long)Math.Round(totals.GetValueOrDefault(name));
        return new LiveWindow
        {
            Stage = stage,
            Model = model,
            From = DateTimeOffset.FromUnixTimeSeconds(first * 60),
            To = now,
            Requests = Count("requests"),
            Errors = Count("errors"),
            ParseFailures = Count("parse_failures"),
            ValidationFailures = Count("validation_failures"),
            Placeholders = Count("placeholders"),
            QualityCount = Count("quality_count"),
            QualitySum = totals.GetValueOrDefault("quality_sum"),
            LatencySamples = latencies.Count,
            P95LatencyMs = Percentile(latencies, 0.95),
            Cost = Math.Round((decimal)totals.GetValueOrDefault("cost"), 6),
        };
    }

    private static long Minute(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    /// <summary>Nearest-rank percentile.</summary>
    internal static double? Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var rank = (int)Math.Ceiling(p * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }
}
