using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Rollout;

/// <summary>
/// The progressive rollout as data (docs/architecture.md §4.5, docs/domain.md §7.2), section <c>Rollout</c>: the phases, how long each one soaks,
/// the canary's traffic share and the thresholds that roll a canary back automatically.
/// </summary>
public sealed class RolloutOptions
{
    public const string SectionName = "Rollout";

    [MinLength(1)]
    public List<RolloutPhase> Phases { get; init; } = [];

    /// <summary>How long a phase stays on canary before promotion, then soaking before it counts as complete, and how long
    /// the previous phase must have been complete before the next one may be applied.</summary>
    /// <remarks>Write 24 hours as <c>"1.00:00:00"</c>: TimeSpan reads <c>"24:00:00"</c> as 24 days.</remarks>
    public TimeSpan SoakPeriod { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Percentage of jobs (sticky per job) that the candidate serves while a phase is on canary.</summary>
    [Range(1, 100)]
    public int CanaryShare { get; init; } = 10;

    /// <summary>How long a passing evaluation verdict allows applying its phase (it also ends when the active routing changes).</summary>
    public TimeSpan VerdictLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often the monitor (in the worker) analyses canaries and advances phases.</summary>
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromSeconds(30);

    [Required]
    public CanaryThresholds CanaryThresholds { get; init; } = new();

    public RolloutPhase? Find(int number) => Phases.FirstOrDefault(p => p.Number == number);

    /// <summary>The rules a plan must satisfy; empty when it is valid.</summary>
    public IEnumerable<string> Problems(Func<string, bool> modelExists, Func<int, bool> stageExists)
    {
        if (SoakPeriod < TimeSpan.Zero)
        {
            yield return "Rollout:SoakPeriod must not be negative.";
        }
        if (VerdictLifetime <= TimeSpan.Zero)
        {
            yield return "Rollout:VerdictLifetime must be positive.";
        }
        if (MonitorInterval <= TimeSpan.Zero)
        {
            yield return "Rollout:MonitorInterval must be positive.";
        }
        if (Phases.Select(p => p.Number).Distinct().Count() != Phases.Count)
        {
            yield return "Rollout phase numbers must be unique.";
        }
        foreach (var phase in Phases)
        {
            if (phase.Number < 1)
            {
                yield return $"Rollout phase {phase.Number}: the number must be 1 or more.";
            }
            if (phase.Stages.Count == 0)
            {
                yield return $"Rollout phase {phase.Number}: needs at least one stage.";
            }
            foreach (var stage in phase.Stages.Where(s => !stageExists(s)))
            {
                yield return $"Rollout phase {phase.Number}: stage {stage} does not exist.";
            }
            if (!modelExists(phase.TargetModel))
            {
                yield return $"Rollout phase {phase.Number}: target model '{phase.TargetModel}' is not in the catalogue.";
            }
        }
        var stages = Phases.SelectMany(p => p.Stages).ToList();
        if (stages.Distinct().Count() != stages.Count)
        {
            yield return "A stage may belong to one rollout phase only.";
        }
        var t = CanaryThresholds;
        if (t.Window <= TimeSpan.Zero || t.MinimumSample < 1 || t.MaxErrorRate is < 0 or > 1 || t.MaxP95LatencyRegression < 0
            || t.MinMeanQuality is < 0 or > 100 || t.MaxPlaceholders < 0)
        {
            yield return "Rollout:CanaryThresholds are out of range (Window > 0, MinimumSample ≥ 1, MaxErrorRate 0-1, MinMeanQuality 0-100, the rest ≥ 0).";
        }
    }
}

/// <summary>One phase of the plan: these stages move to this model together.</summary>
public sealed record RolloutPhase
{
    public int Number { get; init; }

    [Required]
    public string Name { get; init; } = "";

    public List<int> Stages { get; init; } = [];

    [Required]
    public string TargetModel { get; init; } = "";
}

/// <summary>When a candidate counts as broken. Rates are fractions (0.01 = 1 %).</summary>
public sealed record CanaryThresholds
{
    /// <summary>Provider errors / requests; the candidate is rolled back at this rate or above.</summary>
    public double MaxErrorRate { get; init; } = 0.01;

    /// <summary>Mean quality score (0-100) below which the candidate is rolled back.</summary>
    public double MinMeanQuality { get; init; } = 95;

    /// <summary>More placeholders than this (in the window) roll the candidate back, whatever the sample.</summary>
    public int MaxPlaceholders { get; init; }

    /// <summary>How much worse the candidate's p95 latency may be than the stable model's (0.25 = 25 % slower).</summary>
    public double MaxP95LatencyRegression { get; init; } = 0.25;

    /// <summary>Requests in the window a judgement needs (quality, latency, a low error rate; see docs/rollout.md).</summary>
    public int MinimumSample { get; init; } = 20;

    /// <summary>The sliding window the live metrics are aggregated over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);
}
