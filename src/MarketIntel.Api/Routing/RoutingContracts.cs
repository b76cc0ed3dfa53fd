using System.Text.Json.Serialization;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Storage;

namespace MarketIntel.Api.Routing;

/// <summary>
/// Body of <c>PUT /api/routing/stages/{n}</c>: the fields to change (absent = unchanged; an empty string clears the
/// candidate or the shadow), why, and, for a protected stage, the explicit approval.
/// </summary>
public sealed record ChangeStageRouteRequest
{
    [JsonPropertyName("stable")] public string? Stable { get; init; }

    /// <summary>Model id, or "" to remove the candidate (its share then drops to 0 unless given).</summary>
    [JsonPropertyName("candidate")] public string? Candidate { get; init; }

    /// <summary>0-100 % of jobs, sticky per job.</summary>
    [JsonPropertyName("candidateShare")] public int? CandidateShare { get; init; }

    /// <summary>Model id, or "" to remove the shadow.</summary>
    [JsonPropertyName("shadow")] public string? Shadow { get; init; }

    [JsonPropertyName("maxTokens")] public int? MaxTokens { get; init; }

    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    /// <summary>Ceiling of one attempt; 0 removes the override (derived from the output budget and the model's speed).</summary>
    [JsonPropertyName("timeoutSeconds")] public int? TimeoutSeconds { get; init; }

    [JsonPropertyName("protected")] public bool? Protected { get; init; }

    /// <summary>Required, at most 500 characters; recorded in the history.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>Explicit approval; required to change a protected stage (or to protect/unprotect one), and to force.</summary>
    [JsonPropertyName("approved")] public bool Approved { get; init; }

    /// <summary>Switch the stable model at once instead of through a rollout; needs <see cref="Approved"/> and the reason.</summary>
    [JsonPropertyName("force")] public bool Force { get; init; }
}

/// <summary>Body of <c>POST /api/routing/rollback</c>.</summary>
public sealed record RollbackRequest
{
    [JsonPropertyName("version")] public int? Version { get; init; }

    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>Needed (with the reason) when the rollback changes a protected stage.</summary>
    [JsonPropertyName("approved")] public bool Approved { get; init; }
}

/// <summary>The outcome of a change or a rollback: the new active version, the changed route and the history entry.</summary>
public sealed record RoutingChangeResult(int Version, int? Stage, StageRoute? Route, RoutingChange Change);
