using MarketIntel.Pipeline;
using StackExchange.Redis;

namespace MarketIntel.Storage.Rollout;

/// <summary>Whether the candidate routing of a phase passed its evaluation (docs/architecture.md §5): null when none was recorded.</summary>
public interface IEvaluationVerdicts
{
    Task<bool?> PassedForPhaseAsync(int phase);
}

public sealed record EvaluationVerdict(int Phase, bool Passed, string? EvaluationId, string? Summary, DateTimeOffset RecordedAt);

/// <summary>
/// Verdicts per phase in Redis. The evaluation branch stores runs and compares them, but records no verdict per phase
/// yet; until it does, whoever compares (an operator, the CLI, tests) records the verdict here.
/// </summary>
public sealed class RedisEvaluationVerdicts(IConnectionMultiplexer redis, TimeProvider time) : IEvaluationVerdicts
{
    public async Task<bool?> PassedForPhaseAsync(int phase) => (await GetAsync(phase))?.Passed;

    public async Task<EvaluationVerdict?> GetAsync(int phase)
    {
        var value = await redis.GetDatabase().HashGetAsync(RedisKeys.RolloutVerdicts, phase);
        return value.IsNull ? null : PipelineJson.Deserialize<EvaluationVerdict>(value.ToString());
    }

    public async Task<EvaluationVerdict> RecordAsync(int phase, bool passed, string? evaluationId = null, string? summary = null)
    {
        var verdict = new EvaluationVerdict(phase, passed, evaluationId, summary, time.GetUtcNow());
        await redis.GetDatabase().HashSetAsync(RedisKeys.RolloutVerdicts, phase, PipelineJson.Serialize(verdict));
        return verdict;
    }
}
