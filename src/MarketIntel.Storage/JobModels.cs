using MarketIntel.Pipeline.Jobs;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Storage;

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public enum StageStatus
{
    Pending,
    Running,
    Retrying,
    Fallback,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}

/// <summary>What the user asked for; written once when the job is created.</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }
    public required JobKind Kind { get; init; }
    public required BusinessProfile Profile { get; init; }
    public OfferPreferences? Preferences { get; init; }
    public string? ResearchJobId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<int> Stages { get; init; }

    /// <summary>W3C trace context of the request that created the job, so the worker's spans join the same trace.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>Where a job is: its record plus the mutable status fields.</summary>
public sealed record JobSnapshot(
    JobRecord Record,
    JobStatus Status,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool CancelRequested,
    IReadOnlyDictionary<int, StageState> Stages);

/// <summary>One stage of one job, as the job view shows it.</summary>
public sealed record StageState
{
    public required int Stage { get; init; }
    public required string Name { get; init; }
    public StageStatus Status { get; init; } = StageStatus.Pending;
    public string? Model { get; init; }
    public RouteKind? Route { get; init; }
    public bool Cached { get; init; }
    public int? QualityScore { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public IReadOnlyList<StageAttempt> Attempts { get; init; } = [];
    /// <summary>An output this stage read was edited after it ran: its own output no longer follows from its inputs
    /// until the job is re-run.</summary>
    public bool Stale { get; init; }

    public long TokensIn => Attempts.Sum(a => a.TokensIn);
    public long TokensOut => Attempts.Sum(a => a.TokensOut);
    public decimal Cost => Attempts.Sum(a => a.Cost);
    public double? DurationMs => StartedAt is { } start && FinishedAt is { } end ? (end - start).TotalMilliseconds : null;
}

public enum AttemptOutcome
{
    Succeeded,
    Invalid,
    ProviderError,
    Cached,
    Cancelled,
}

/// <summary>One call of one model for one stage (or a cache hit that replaced it).</summary>
public sealed record StageAttempt
{
    public required int Number { get; init; }
    public required string Model { get; init; }
    /// <summary>The section of a sectioned stage (the report) this attempt wrote; null for a whole-stage answer.</summary>
    public string? Section { get; init; }
    /// <summary>Who answered: the model's provider (e.g. <c>workers-ai</c>) or <c>emulator</c>; null for a cache hit.</summary>
    public string? Provider { get; init; }
    public required RouteKind Route { get; init; }
    public required AttemptOutcome Outcome { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public double DurationMs { get; init; }
    public long TokensIn { get; init; }
    public long TokensOut { get; init; }
    public decimal Cost { get; init; }
    public int? QualityScore { get; init; }
    public bool CacheHit { get; init; }
    public bool Fallback { get; init; }
    public bool Reask { get; init; }
    /// <summary>Provider-level retries (429, 5xx, timeouts) spent inside this attempt.</summary>
    public int Retries { get; init; }
    /// <summary>Why each of those retries was made ("HTTP 500", "timeout after 45 s", ...), in order.</summary>
    public IReadOnlyList<string> RetryReasons { get; init; } = [];
    public string? FinishReason { get; init; }
    /// <summary>Placeholders and empty fields the validator found in this answer (evaluation metrics).</summary>
    public int Placeholders { get; init; }
    public int EmptyFields { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
}

public enum OutputSource
{
    Model,
    User,
}

/// <summary>A version of a stage output. Version 1 is the model's original; user edits add versions.</summary>
public sealed record StageOutputVersion
{
    public required int Version { get; init; }
    public required OutputSource Source { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>JSON text (JSON stages) or Markdown (stage 6).</summary>
    public required string Content { get; init; }
    public required ValidationResult Validation { get; init; }
    public string? Model { get; init; }
}

/// <summary>A progress event of a job, replayable from the job's event stream.</summary>
public sealed record JobEvent
{
    public required string Type { get; init; }
    public int? Stage { get; init; }
    public string? Status { get; init; }
    public string? Model { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// How far a stage's streaming call has got: output tokens so far against the call's budget. Written a few times a
/// second at most (docs/real-speed.md); <see cref="TokensPerSecond"/> is the model's usual speed, for estimates.
/// </summary>
public sealed record StageProgress
{
    public required int Stage { get; init; }
    public required string Model { get; init; }
    public required long TokensOut { get; init; }
    public required int MaxTokens { get; init; }
    public required double TokensPerSecond { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A cached, validated stage output.</summary>
public sealed record CachedStageOutput(string Content, ValidationResult Validation, string Model, DateTimeOffset CreatedAt);
