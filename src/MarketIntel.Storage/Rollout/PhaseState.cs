using System.Text.Json.Serialization;
using MarketIntel.Pipeline;
using StackExchange.Redis;

namespace MarketIntel.Storage.Rollout;

[JsonConverter(typeof(JsonStringEnumConverter<PhaseStatus>))]
public enum PhaseStatus
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("canary")] Canary,
    [JsonStringEnumMemberName("soaking")] Soaking,
    [JsonStringEnumMemberName("complete")] Complete,
    [JsonStringEnumMemberName("rolled_back")] RolledBack,
}

/// <summary>Where one phase of the rollout stands, with the moments it changed and why.</summary>
public sealed record PhaseState
{
    public required int Number { get; init; }
    public PhaseStatus Status { get; init; } = PhaseStatus.Pending;
    public DateTimeOffset? AppliedAt { get; init; }
    public DateTimeOffset? PromotedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? RolledBackAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? Actor { get; init; }
    public string? Reason { get; init; }
    /// <summary>Set when the phase touches a protected stage: who approved it and why.</summary>
    public string? ApprovedBy { get; init; }
    public string? ApprovalReason { get; init; }
    public int? RoutingVersion { get; init; }
}

/// <summary>Phase states in one Redis hash; a phase never written is pending.</summary>
public sealed class PhaseStateStore(IConnectionMultiplexer redis)
{
    public async Task<PhaseState> GetAsync(int number)
    {
        var value = await redis.GetDatabase().HashGetAsync(RedisKeys.RolloutPhases, number);
        return value.IsNull ? new PhaseState { Number = number } : PipelineJson.Deserialize<PhaseState>(value.ToString())!;
    }

    public async Task<IReadOnlyDictionary<int, PhaseState>> GetAllAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(RedisKeys.RolloutPhases);
        return entries.ToDictionary(e => (int)e.Name, e => PipelineJson.Deserialize<PhaseState>(e.Value.ToString())!);
    }

    public Task SetAsync(PhaseState state) =>
        redis.GetDatabase().HashSetAsync(RedisKeys.RolloutPhases, state.Number, PipelineJson.Serialize(state));
}
