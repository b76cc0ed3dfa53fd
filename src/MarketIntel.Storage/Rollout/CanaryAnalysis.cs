using System.Globalization;
using MarketIntel.Pipeline.Rollout;

namespace MarketIntel.Storage.Rollout;

/// <summary>
/// Judges a candidate's window against the thresholds and the stable model (docs/rollout.md, "Canary analysis").
/// A judgement normally needs <see cref="CanaryThresholds.MinimumSample"/> requests. Two signals trip earlier because
/// they are unambiguous: any placeholder beyond <see cref="CanaryThresholds.MaxPlaceholders"/>, and a candidate that is
/// clearly broken — at least <see cref="ClearlyBrokenErrors"/> provider errors making up at least half its requests.
/// </summary>
public static class CanaryAnalysis
{
    public const int ClearlyBrokenErrors = 3;

    /// <summary>Each threshold the candidate breaks, in words with the values; empty when it is healthy (or too early to say).</summary>
    public static IReadOnlyList<string> Breaches(LiveWindow candidate, LiveWindow stable, CanaryThresholds t)
    {
        var found = new List<string>();
        var window = Minutes(t.Window);
        var enough = candidate.Requests >= t.MinimumSample;
        if (candidate.Placeholders > t.MaxPlaceholders)
        {
            found.Add($"placeholders: {candidate.Placeholders} in {candidate.Requests} requests over the last {window} (allowed {t.MaxPlaceholders})");
        }
        var clearlyBroken = candidate.Errors >= ClearlyBrokenErrors && candidate.ErrorRate >= 0.5;
        if ((enough || clearlyBroken) && candidate.Requests > 0 && candidate.ErrorRate >= t.MaxErrorRate)
        {
            found.Add($"error rate: {Percent(candidate.ErrorRate)} ({candidate.Errors} provider errors in {candidate.Requests} requests) over the last {window} "
                + $"(threshold {Percent(t.MaxErrorRate)}{(enough ? "" : $"; tripped below the minimum sample of {t.MinimumSample} because the candidate is clearly broken")})");
        }
        if (enough && candidate.MeanQuality is { } quality && quality < t.MinMeanQuality)
        {
            found.Add($"mean quality: {quality.ToString("0.0", CultureInfo.InvariantCulture)} over {candidate.QualityCount} scored answers in the last {window} "
                + $"(minimum {t.MinMeanQuality.ToString("0.#", CultureInfo.InvariantCulture)})");
        }
        if (enough && candidate.P95LatencyMs is { } p95 && stable.LatencySamples >= t.MinimumSample && stable.P95LatencyMs is { } stableP95 and > 0
            && p95 > stableP95 * (1 + t.MaxP95LatencyRegression))
        {
            found.Add($"p95 latency: {p95.ToString("0", CultureInfo.InvariantCulture)} ms vs stable {stable.Model} {stableP95.ToString("0", CultureInfo.InvariantCulture)} ms "
                + $"over the last {window} ({Percent(p95 / stableP95 - 1)} worse; allowed {Percent(t.MaxP95LatencyRegression)})");
        }
        return found;
    }

    public static string Minutes(TimeSpan window) =>
        window.TotalMinutes >= 1 ? $"{window.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min" : $"{window.TotalSeconds:0} s";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
