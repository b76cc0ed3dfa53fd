using MarketIntel.Pipeline;
using StackExchange.Redis;

namespace MarketIntel.Storage.Rollout;

/// <summary>The last evaluation verdict of a phase's candidate routing (docs/architecture.md §5): null when none was recorded.</summary>
public interface IEvaluationVerdicts
{
    Task<EvaluationVerdict?> ForPhaseAsync(int phase);
}

/// <summary>A phase's verdict and the active routing version it was recorded against (null for one recorded before verdicts named it).</summary>
public sealed record EvaluationVerdict(int Phase, bool Passed, string? EvaluationId, string? Summary, DateTimeOffset RecordedAt, int? RoutingVersion = null);

/// <summary>
/// Verdicts per phase in Redis. The evaluation branch stores runs and compares them, but records no verdict per phase
/// yet; until it does, whoever compares (an operator, the CLI, tests) records the verdict here.
/// </summary>
public sealed class RedisEvaluationVerdicts(IConnectionMultiplexer redis, RoutingStore routing, TimeProvider time) : IEvaluationVerdicts
{
    public Task<EvaluationVerdict?> ForPhaseAsync(int phase) => GetAsync(phase);

    public async Task<EvaluationVerdict?> GetAsync(int phase)
    {
        var value = await redis.GetDatabase().HashGetAsync(RedisKeys.RolloutVerdicts, phase);
        return value.IsNull ? null : PipelineJson.Deserialize<EvaluationVerdict>(value.ToString());
    }

    public async Task<EvaluationVerdict> RecordAsync(int phase, bool passed, string? evaluationId = null, string? summary = null)
    {
        // Bound to the routing active now: applying the phase later against another routing needs a new evaluation.
        var active = await routing.GetActiveAsync();
        var verdict = new EvaluationVerdict(phase, passed, evaluationId, summary, time.GetUtcNow(), active.Version);
        await redis.GetDatabase().HashSetAsync(RedisKeys.RolloutVerdicts, phase, PipelineJson.Serialize(verdict));
        return verdict;
    }
}
