using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Routing;

/// <summary>How one stage is served: the stable model, an optional candidate on a share of jobs, an optional shadow.</summary>
public sealed record StageRoute
{
    [Required]
    public string Stable { get; init; } = "";

    public string? Candidate { get; init; }

    /// <summary>Percentage of jobs (0-100) that get the candidate; sticky per job.</summary>
    [Range(0, 100)]
    public int CandidateShare { get; init; }

    /// <summary>A model that also runs on every call; its output is scored and recorded, never used.</summary>
    public string? Shadow { get; init; }

    public bool Protected { get; init; }

    [Range(256, 200_000)]
    public int? MaxTokens { get; init; }

    /// <summary>The output tokens this route asks for on <paramref name="stage"/>: its own setting, else the stage's default.</summary>
    public int WantedTokens(Stages.IStage stage) => MaxTokens ?? stage.DefaultMaxTokens;

    [Range(0.0, 2.0)]
    public double Temperature { get; init; } = 0.1;

    /// <summary>
    /// Ceiling of one attempt in seconds; null (the default) derives it from the output budget and the model's slowest
    /// accepted speed (<see cref="Models.CallTimeouts"/>), which is what a long answer needs.
    /// </summary>
    [Range(1, 3600)]
    public int? TimeoutSeconds { get; init; }
}

/// <summary>The active routing of every stage, as one versioned document.</summary>
public sealed record RoutingDocument
{
    public int Version { get; init; }

    public Dictionary<int, StageRoute> Stages { get; init; } = [];

    public StageRoute For(int stage) =>
        Stages.TryGetValue(stage, out var route)
            ? route
            : throw new KeyNotFoundException($"Routing has no entry for stage {stage}.");
}

/// <summary>Which route a call took, for telemetry and the job view.</summary>
public enum RouteKind
{
    Stable,
    Candidate,
    Shadow,
    Fallback,
}

/// <summary>Routing as seeded from configuration (section <c>Routing</c>): Phase 0 of the rollout.</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    [MinLength(1)]
    public Dictionary<int, StageRoute> Stages { get; init; } = [];
}
