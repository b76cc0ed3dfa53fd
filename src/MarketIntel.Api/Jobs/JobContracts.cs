using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Routing;
using MarketIntel.Pipeline.Validation;
using MarketIntel.Storage;

namespace MarketIntel.Api.Jobs;

/// <summary>
/// Body of <c>POST /api/jobs</c>. The envelope is camelCase like the rest of the API; the profile and preferences keep
/// the snake_case field names of the original's data format (docs/domain.md §1.4-1.5).
/// </summary>
/// <param name="Kind">research (stages 1-6), offer (7-13 from a finished research job) or full (1-13).</param>
public sealed record CreateJobRequest(
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("profile")] BusinessProfile? Profile,
    [property: JsonPropertyName("preferences")] OfferPreferences? Preferences,
    [property: JsonPropertyName("researchJobId")] string? ResearchJobId);

public sealed record JobView(
    string Id,
    string Kind,
    string BusinessName,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    string? ResearchJobId,
    JobTotals Totals,
    IReadOnlyList<StageView> Stages,
    JobLinks Links,
    JobEstimateView? Estimate = null)
{
    /// <param name="progress">Live progress of the running stages (<see cref="JobProgressReader"/>); none for a listing.</param>
    public static JobView From(JobSnapshot job, IReadOnlyDictionary<int, StageProgress>? progress = null, JobEstimateView? estimate = null)
    {
        var id = job.Record.Id;
        var stages = job.Record.Stages
            .Select(n => job.Stages.TryGetValue(n, out var state) ? StageView.From(state, progress?.GetValueOrDefault(n)) : null)
            .OfType<StageView>()
            .ToList();
        return new JobView(
            id,
            job.Record.Kind.ToString().ToLowerInvariant(),
            job.Record.Profile.BusinessName,
            job.Status.ToString().ToLowerInvariant(),
            job.Record.CreatedAt,
            job.StartedAt,
            job.FinishedAt,
            job.Error,
            job.Record.ResearchJobId,
            new JobTotals(
                stages.Sum(s => s.TokensIn),
                stages.Sum(s => s.TokensOut),
                stages.Sum(s => s.Cost),
                stages.Sum(s => s.Attempts.Count(a => !a.CacheHit && a.Route != RouteKind.Shadow)),
                stages.Count(s => s.Cached)),
            stages,
            new JobLinks($"/api/jobs/{id}", $"/api/jobs/{id}/events", $"/api/jobs/{id}/report"),
            estimate);
    }
}

/// <summary>The time a running job still needs, from the catalogue's usual speeds and its remaining critical path.</summary>
public sealed record JobEstimateView(double SecondsLeft, DateTimeOffset At);

/// <summary>A running stage's streamed output so far against its budget.</summary>
public sealed record StageProgressView(long TokensOut, int MaxTokens, double Percent, DateTimeOffset UpdatedAt)
{
    public static StageProgressView From(StageProgress progress) => new(
        progress.TokensOut,
        progress.MaxTokens,
        Math.Round(Math.Min(100, 100.0 * progress.TokensOut / Math.Max(1, progress.MaxTokens)), 1),
        progress.UpdatedAt);
}

/// <param name="ModelCalls">Model calls made for the job's own output (shadow runs excluded).</param>
public sealed record JobTotals(long TokensIn, long TokensOut, decimal Cost, int ModelCalls, int CachedStages);

public sealed record JobLinks(string Self, string Events, string Report);

public sealed record StageView(
    int Stage,
    string Name,
    string Status,
    string? Model,
    string? Route,
    bool Cached,
    int? QualityScore,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    long TokensIn,
    long TokensOut,
    decimal Cost,
    string? Error,
    IReadOnlyList<StageAttempt> Attempts,
    bool Stale,
    StageProgressView? Progress = null)
{
    public static StageView From(StageState state, StageProgress? progress = null) => new(
        state.Stage,
        state.Name,
        state.Status.ToString().ToLowerInvariant(),
        state.Model,
        state.Route?.ToString().ToLowerInvariant(),
        state.Cached,
        state.QualityScore,
        state.StartedAt,
        state.FinishedAt,
        state.DurationMs,
        state.TokensIn,
        state.TokensOut,
        state.Cost,
        state.Error,
        state.Attempts,
        state.Stale,
        progress is null ? null : StageProgressView.From(progress));
}

/// <summary>A stage output version, with JSON outputs as JSON and the report as text.</summary>
public sealed record StageOutputView(
    int Stage,
    string Name,
    int Version,
    int Versions,
    string Source,
    DateTimeOffset CreatedAt,
    string? Model,
    JsonNode? Content,
    ValidationResult Validation);

/// <summary>One version of a stage output in the version listing.</summary>
public sealed record StageVersionView(int Version, string Source, DateTimeOffset CreatedAt, string? Model, int QualityScore, bool Valid);

public sealed record StageVersionsView(int Stage, string Name, IReadOnlyList<StageVersionView> Versions);
