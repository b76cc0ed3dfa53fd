using System.Globalization;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Routing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketIntel.Storage;

/// <summary>One field of one stage route that a change altered.</summary>
public sealed record RouteDiff(int Stage, string Field, string? Before, string? After);

/// <summary>An entry of the routing history: who changed what, when and why (and, for automatic changes, the evidence).</summary>
public sealed record RoutingChange
{
    public required int Version { get; init; }
    public int? PreviousVersion { get; init; }
    public required string Kind { get; init; }
    public required string Actor { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset At { get; init; }
    public bool Approved { get; init; }
    public IReadOnlyList<RouteDiff> Diff { get; init; } = [];
    public JsonObject? Evidence { get; init; }
}

/// <summary>A concurrent change won the race; the caller may retry on the new version.</summary>
public sealed class RoutingConflictException(string message) : Exception(message);

/// <summary>
/// The active routing as a versioned document in Redis. Every change writes a new version and a history entry in one
/// transaction; readers pick the change up on their next call without a restart.
/// </summary>
public sealed class RoutingStore(IConnectionMultiplexer redis, IOptions<RoutingOptions> seed, TimeProvider time, RoutingMetrics metrics)
{
    private volatile RoutingDocument? _cached;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>The active document; one small GET per call, the document itself is re-read only when the version moved.</summary>
    public async Task<RoutingDocument> GetActiveAsync()
    {
        var active = await Db.StringGetAsync(RedisKeys.RoutingActive);
        if (active.IsNull)
        {
            return await SeedAsync();
        }
        var version = (int)active;
        if (_cached is { } cached && cached.Version == version)
        {
            return cached;
        }
        var document = await GetVersionAsync(version)
            ?? throw new InvalidOperationException($"Active routing version {version} is missing.");
        _cached = document;
        return document;
    }

    public async Task<RoutingDocument?> GetVersionAsync(int version)
    {
        var value = await Db.HashGetAsync(RedisKeys.RoutingVersions, version);
        return value.IsNull ? null : PipelineJson.Deserialize<RoutingDocument>(value.ToString());
    }

    /// <summary>Writes <paramref name="change"/> applied to the active document as the next version.</summary>
    public async Task<RoutingChange> ChangeAsync(
        Func<RoutingDocument, RoutingDocument> change, string kind, string actor, string reason,
        bool approved = false, JsonObject? evidence = null)
    {
        var current = await GetActiveAsync();
        var next = change(current);
        return await WriteAsync(current, next, kind, actor, reason, approved, evidence);
    }

    /// <summary>
    /// Activates the content of an earlier version as a new version, so the history stays a straight line. A rollback
    /// that would change a protected stage needs approval like any other change of it (<see cref="ProtectedStages"/>);
    /// checked against the very version it replaces.
    /// </summary>
    /// <exception cref="ProtectedStageException">A protected stage would change and <paramref name="approved"/> is false.</exception>
    public async Task<RoutingChange> RollbackAsync(int targetVersion, string actor, string reason, bool approved)
    {
        var target = await GetVersionAsync(targetVersion)
            ?? throw new KeyNotFoundException($"Routing version {targetVersion} does not exist.");
        var current = await GetActiveAsync();
        if (ProtectedStages.Changed(current, target) is { Count: > 0 } touched && !ProtectedStages.IsApproved(approved, reason))
        {
            throw new ProtectedStageException(touched);
        }
        return await WriteAsync(current, target, "rollback", actor, reason, approved, evidence: null);
    }

    public async Task<IReadOnlyList<RoutingChange>> HistoryAsync(int count = 100) =>
        (await Db.ListRangeAsync(RedisKeys.RoutingHistory, 0, count - 1))
            .Select(v => PipelineJson.Deserialize<RoutingChange>(v.ToString())!)
            .ToList();

    private async Task<RoutingChange> WriteAsync(
        RoutingDocument current, RoutingDocument next, string kind, string actor, string reason, bool approved, JsonObject? evidence)
    {
        var version = (int)await Db.HashLengthAsync(RedisKeys.RoutingVersions) + 1;
        var document = next with { Version = version };
        var record = new RoutingChange
        {
            Version = version,
            PreviousVersion = current.Version,
            Kind = kind,
            Actor = actor,
            Reason = reason,
            At = time.GetUtcNow(),
            Approved = approved,
            Diff = Diff(current, document),
            Evidence = evidence,
        };

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(RedisKeys.RoutingActive, current.Version));
        transaction.AddCondition(Condition.HashNotExists(RedisKeys.RoutingVersions, version));
        _ = transaction.HashSetAsync(RedisKeys.RoutingVersions, version, PipelineJson.Serialize(document));
        _ = transaction.StringSetAsync(RedisKeys.RoutingActive, version);
        _ = transaction.ListLeftPushAsync(RedisKeys.RoutingHistory, PipelineJson.Serialize(record));
        if (!await transaction.ExecuteAsync())
        {
            throw new RoutingConflictException("The routing changed while this change was being made; reload and try again.");
        }
        _cached = document;
        metrics.Changed(kind);
        return record;
    }

    private async Task<RoutingDocument> SeedAsync()
    {
        var document = new RoutingDocument { Version = 1, Stages = new Dictionary<int, StageRoute>(seed.Value.Stages) };
        var record = new RoutingChange
        {
            Version = 1,
            Kind = "seed",
            Actor = "system",
            Reason = "Initial routing from configuration (Phase 0).",
            At = time.GetUtcNow(),
        };
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(RedisKeys.RoutingActive));
        _ = transaction.HashSetAsync(RedisKeys.RoutingVersions, 1, PipelineJson.Serialize(document));
        _ = transaction.StringSetAsync(RedisKeys.RoutingActive, 1);
        _ = transaction.ListLeftPushAsync(RedisKeys.RoutingHistory, PipelineJson.Serialize(record));
        // Losing the race is fine: another process seeded the same configuration.
        await transaction.ExecuteAsync();
        return await GetActiveAsync();
    }

    private static IReadOnlyList<RouteDiff> Diff(RoutingDocument before, RoutingDocument after)
    {
        var diffs = new List<RouteDiff>();
        foreach (var stage in before.Stages.Keys.Union(after.Stages.Keys).Order())
        {
            var a = before.Stages.GetValueOrDefault(stage);
            var b = after.Stages.GetValueOrDefault(stage);
            void Compare(string field, object? x, object? y)
            {
                var left = Format(x);
                var right = Format(y);
                if (left != right)
                {
                    diffs.Add(new RouteDiff(stage, field, left, right));
                }
            }
            Compare("stable", a?.Stable, b?.Stable);
            Compare("candidate", a?.Candidate, b?.Candidate);
            Compare("candidate_share", a?.CandidateShare, b?.CandidateShare);
            Compare("shadow", a?.Shadow, b?.Shadow);
            Compare("protected", a?.Protected, b?.Protected);
            Compare("max_tokens", a?.MaxTokens, b?.MaxTokens);
            Compare("temperature", a?.Temperature, b?.Temperature);
            Compare("timeout_seconds", a?.TimeoutSeconds, b?.TimeoutSeconds);
        }
        return diffs;
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
