using System.Globalization;
using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Pipeline.Rollout;

/// <summary>
/// When an evaluation verdict still speaks for a phase: it passed, it is younger than <see cref="RolloutOptions.VerdictLifetime"/>,
/// and the active routing is the one it was recorded against. A verdict judged another routing (a phase was applied, a
/// stage changed by hand) says nothing about what applying the phase now would do.
/// </summary>
public static class VerdictRules
{
    /// <summary>Why the verdict does not allow applying phase <paramref name="phase"/>; null when it does.</summary>
    /// <param name="routingVersion">The active routing version when the verdict was recorded; null for a verdict recorded before verdicts were bound to one.</param>
    /// <param name="summary">What the verdict says about itself; shown when it failed.</param>
    public static string? Blocker(
        int phase, bool? passed, string? summary, DateTimeOffset recordedAt, int? routingVersion, int activeVersion, DateTimeOffset now, TimeSpan lifetime)
    {
        switch (passed)
        {
            case null:
                return $"No evaluation of phase {phase}'s candidate routing has been recorded; run one and record a passing verdict.";
            case false:
                return $"The evaluation of phase {phase}'s candidate routing failed{(string.IsNullOrWhiteSpace(summary) ? "" : $" ({summary})")}; fix the candidate and evaluate again.";
        }
        if (recordedAt + lifetime <= now)
        {
            return $"The passing evaluation of phase {phase} was recorded {Moment(recordedAt)} and expired after "
                + $"{lifetime.ToString("c", CultureInfo.InvariantCulture)}; evaluate again.";
        }
        if (routingVersion != activeVersion)
        {
            return routingVersion is null
                ? $"The passing evaluation of phase {phase} names no routing version; evaluate again against the active routing (version {activeVersion})."
                : $"The passing evaluation of phase {phase} judged routing version {routingVersion}, but version {activeVersion} is active now; evaluate again.";
        }
        return null;
    }

    /// <summary>
    /// Why the comparison of <paramref name="candidate"/> with <paramref name="baseline"/> is not an evaluation of exactly
    /// <paramref name="phase"/>: each of its stages must be served entirely by the target model, and every other stage by
    /// the same model as in the baseline. Empty when it is. A candidate routing that changes more (or less) than the phase
    /// would let a verdict on one change open the way for another.
    /// </summary>
    public static IReadOnlyList<string> ScopeProblems(RolloutPhase phase, RoutingDocument baseline, RoutingDocument candidate)
    {
        var problems = new List<string>();
        foreach (var stage in baseline.Stages.Keys.Union(candidate.Stages.Keys).Union(phase.Stages).Order())
        {
            var evaluated = Served(candidate.Stages.GetValueOrDefault(stage));
            if (phase.Stages.Contains(stage))
            {
                if (evaluated != phase.TargetModel)
                {
                    problems.Add($"stage {stage} is served by {evaluated ?? "no single model"} in the candidate evaluation, not by phase {phase.Number}'s target {phase.TargetModel}");
                }
            }
            else if (evaluated != Served(baseline.Stages.GetValueOrDefault(stage)))
            {
                problems.Add($"stage {stage} is not part of phase {phase.Number} but is served by {evaluated ?? "no single model"} in the candidate "
                    + $"and by {Served(baseline.Stages.GetValueOrDefault(stage)) ?? "no single model"} in the baseline");
            }
        }
        return problems;
    }

    /// <summary>The model that answers every job of a route; null when there is no route or the traffic is split.</summary>
    private static string? Served(StageRoute? route) => route switch
    {
        null => null,
        { Candidate: { Length: > 0 } candidate, CandidateShare: >= 100 } => candidate,
        { Candidate: { Length: > 0 }, CandidateShare: > 0 } => null,
        _ => route.Stable,
    };

    private static string Moment(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
