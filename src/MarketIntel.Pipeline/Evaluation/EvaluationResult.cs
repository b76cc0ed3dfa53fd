using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Pipeline.Evaluation;

/// <summary>Whether a run measured the routing in force (baseline) or a proposed one (candidate).</summary>
public enum EvaluationKind
{
    Baseline,
    Candidate,
}

/// <summary>
/// The measurements of one evaluation run: every sample of the suite through every stage, <see cref="Trials"/> times,
/// with the cache bypassed, on <see cref="Routing"/>. Stored in Redis and written as <c>baseline-&lt;date&gt;.json</c> or
/// <c>phase-&lt;N&gt;-&lt;date&gt;.json</c> (docs/evaluation.md describes every field).
/// </summary>
public sealed record EvaluationResult
{
    public required string Id { get; init; }
    public required EvaluationKind Kind { get; init; }
    public int? Phase { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The active routing version the run was derived from (baseline), if any.</summary>
    public int? RoutingVersion { get; init; }

    /// <summary>The routing actually used, exactly as the stage runner saw it.</summary>
    public required RoutingDocument Routing { get; init; }

    public required int Trials { get; init; }
    public required IReadOnlyList<string> Samples { get; init; }
    public required IReadOnlyList<StageMetrics> Stages { get; init; }
    public required EvaluationTotals Totals { get; init; }

    public StageMetrics? Stage(int number) => Stages.FirstOrDefault(s => s.Stage == number);
}

/// <summary>What one stage did over all samples and trials of a run.</summary>
public sealed record StageMetrics
{
    public required int Stage { get; init; }
    public required string Name { get; init; }

    /// <summary>Every model that answered a call of this stage (the routed model, and the stable one after a fallback).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Times the stage ran (samples × trials less <see cref="NotRun"/>).</summary>
    public int Runs { get; init; }

    /// <summary>Runs that ended without a valid output.</summary>
    public int Errors { get; init; }

    /// <summary>Trials in which the stage was skipped because a stage it reads had failed.</summary>
    public int NotRun { get; init; }

    public double LatencyMeanMs { get; init; }
    public double LatencyP95Ms { get; init; }
    public long TokensIn { get; init; }
    public long TokensOut { get; init; }

    /// <summary>US dollars over all runs, every attempt included.</summary>
    public decimal Cost { get; init; }

    public decimal CostPerRun => Runs == 0 ? 0 : Math.Round(Cost / Runs, 8);

    public double ErrorRate => Runs == 0 ? 0 : (double)Errors / Runs;

    /// <summary>Mean quality score of the accepted outputs; null when no run produced one.</summary>
    public double? QualityMean { get; init; }
    public int? QualityMin { get; init; }

    /// <summary>Placeholders found in any answer of any attempt (a re-ask may have hidden them from the output).</summary>
    public int Placeholders { get; init; }
    public int EmptyFields { get; init; }

    /// <summary>Provider-level retries (429, 5xx, timeouts).</summary>
    public int Retries { get; init; }

    /// <summary>Runs that fell back from a candidate model to the stable one.</summary>
    public int Fallbacks { get; init; }

    /// <summary>
    /// Runs the routed model did not carry: no valid output, or one that only the stable model gave after a fallback. A
    /// candidate that always falls back would otherwise look as good as the stable model. 0 in results stored before it
    /// was counted, hence <see cref="FailedRuns"/>.
    /// </summary>
    public int FailedOrFellBack { get; init; }

    /// <summary>The runs the gates count as failures of the routed model.</summary>
    public int FailedRuns => Math.Max(Errors, FailedOrFellBack);

    /// <summary>Re-asks with the validator's errors.</summary>
    public int Reasks { get; init; }

    /// <summary>The first few failure messages, for the report.</summary>
    public IReadOnlyList<string> SampleErrors { get; init; } = [];
}

public sealed record EvaluationTotals
{
    public int Runs { get; init; }
    public int Errors { get; init; }
    public int NotRun { get; init; }
    public long TokensIn { get; init; }
    public long TokensOut { get; init; }
    public decimal Cost { get; init; }
    public int Placeholders { get; init; }

    /// <summary>Wall time of the whole run.</summary>
    public double DurationMs { get; init; }

    public static EvaluationTotals Of(IReadOnlyList<StageMetrics> stages, double durationMs) => new()
    {
        Runs = stages.Sum(s => s.Runs),
        Errors = stages.Sum(s => s.Errors),
        NotRun = stages.Sum(s => s.NotRun),
        TokensIn = stages.Sum(s => s.TokensIn),
        TokensOut = stages.Sum(s => s.TokensOut),
        Cost = stages.Sum(s => s.Cost),
        Placeholders = stages.Sum(s => s.Placeholders),
        DurationMs = durationMs,
    };
}

/// <summary>One run of one stage, as the evaluation runner observed it; <see cref="StageMetricsBuilder"/> folds them.</summary>
public sealed record StageRunObservation
{
    public required int Stage { get; init; }
    public bool Succeeded { get; init; }
    public bool NotRun { get; init; }
    public double DurationMs { get; init; }
    public IReadOnlyList<string> Models { get; init; } = [];
    public long TokensIn { get; init; }
    public long TokensOut { get; init; }
    public decimal Cost { get; init; }
    public int? QualityScore { get; init; }
    public int Placeholders { get; init; }
    public int EmptyFields { get; init; }
    public int Retries { get; init; }
    public bool Fallback { get; init; }
    public int Reasks { get; init; }
    public string? Error { get; init; }
}

/// <summary>Folds observations of one stage into its <see cref="StageMetrics"/>.</summary>
public static class StageMetricsBuilder
{
    public const int MaxSampleErrors = 5;

    public static StageMetrics Build(int stage, string name, IReadOnlyList<StageRunObservation> observations)
    {
        var runs = observations.Where(o => !o.NotRun).ToList();
        var qualities = runs.Where(o => o.Succeeded && o.QualityScore is not null).Select(o => o.QualityScore!.Value).ToList();
        var latencies = runs.Select(o => o.DurationMs).Order().ToList();
        return new StageMetrics
        {
            Stage = stage,
            Name = name,
            Models = runs.SelectMany(o => o.Models).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Runs = runs.Count,
            Errors = runs.Count(o => !o.Succeeded),
            NotRun = observations.Count(o => o.NotRun),
            LatencyMeanMs = latencies.Count == 0 ? 0 : Math.Round(latencies.Average(), 1),
            LatencyP95Ms = Math.Round(Percentile(latencies, 0.95), 1),
            TokensIn = runs.Sum(o => o.TokensIn),
            TokensOut = runs.Sum(o => o.TokensOut),
            Cost = runs.Sum(o => o.Cost),
            QualityMean = qualities.Count == 0 ? null : Math.Round(qualities.Average(), 2),
            QualityMin = qualities.Count == 0 ? null : qualities.Min(),
            Placeholders = runs.Sum(o => o.Placeholders),
            EmptyFields = runs.Sum(o => o.EmptyFields),
            Retries = runs.Sum(o => o.Retries),
            Fallbacks = runs.Count(o => o.Fallback),
            FailedOrFellBack = runs.Count(o => !o.Succeeded || o.Fallback),
            Reasks = runs.Sum(o => o.Reasks),
            SampleErrors = runs.Where(o => o.Error is not null).Select(o => o.Error!).Distinct().Take(MaxSampleErrors).ToList(),
        };
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 for none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>File names and the one JSON form of results (snake_case, as everywhere in MarketIntel).</summary>
public static class EvaluationFiles
{
    /// <summary><c>baseline-2025-01-26.json</c>, <c>phase-1-2025-01-26.json</c>, or <c>candidate-2025-01-26.json</c> without a phase.</summary>
    public static string BaseName(EvaluationResult result)
    {
        var date = result.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return result.Kind == EvaluationKind.Baseline
            ? $"baseline-{date}"
            : result.Phase is { } phase
                ? $"phase-{phase.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{date}"
                : $"candidate-{date}";
    }

    public static string Serialize(EvaluationResult result) =>
        System.Text.Json.JsonSerializer.Serialize(result, Indented);

    public static EvaluationResult Deserialize(string json) =>
        PipelineJson.Deserialize<EvaluationResult>(json) ?? throw new InvalidDataException("The evaluation result is empty.");

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(PipelineJson.Options) { WriteIndented = true };
}
