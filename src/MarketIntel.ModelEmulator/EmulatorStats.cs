using System.Collections.Concurrent;

namespace MarketIntel.ModelEmulator;

/// <summary>What a request ended as; the names are the keys of <c>GET /admin/stats</c>.</summary>
public static class Outcomes
{
    public const string Ok = "ok";
    public const string Http500 = "http500";
    public const string Http429 = "http429";
    public const string Quota = "quota";
    public const string Timeout = "timeout";
    public const string Malformed = "malformed";
    public const string Placeholder = "placeholder";
    public const string Truncated = "truncated";
    public const string Fenced = "fenced";
    public const string Schema500 = "schema500";
    public const string ContextWindow = "context400";
    public const string Stall = "stall";
}

/// <summary>
/// Counts of requests per model and per outcome, and of requests the client closed before the answer ended
/// (<c>disconnects</c>: a test can see that cancelling a job closed its HTTP request), for tests to assert on.
/// </summary>
public sealed class EmulatorStats
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, int>> _counts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _disconnects = new(StringComparer.OrdinalIgnoreCase);

    public void RecordDisconnect(string model) => _disconnects.AddOrUpdate(model, 1, (_, count) => count + 1);

    public void Record(string model, string outcome)
    {
        var perModel = _counts.GetOrAdd(model, _ => new ConcurrentDictionary<string, int>());
        perModel.AddOrUpdate(outcome, 1, (_, count) => count + 1);
    }

    public void Reset()
    {
        _counts.Clear();
        _disconnects.Clear();
    }

    public StatsSnapshot Snapshot()
    {
        var models = new SortedDictionary<string, ModelStats>(StringComparer.OrdinalIgnoreCase);
        var totals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (model, outcomes) in _counts)
        {
            var copy = new SortedDictionary<string, int>(outcomes, StringComparer.Ordinal);
            models[model] = new ModelStats(copy.Values.Sum(), copy, _disconnects.GetValueOrDefault(model));
            foreach (var (outcome, count) in copy)
            {
                totals[outcome] = totals.GetValueOrDefault(outcome) + count;
            }
        }
        return new StatsSnapshot(totals.Values.Sum(), totals, models.Values.Sum(m => m.Disconnects), models);
    }
}

public sealed record ModelStats(int Requests, IReadOnlyDictionary<string, int> Outcomes, int Disconnects);

public sealed record StatsSnapshot(int Requests, IReadOnlyDictionary<string, int> Outcomes, int Disconnects, IReadOnlyDictionary<string, ModelStats> Models);
