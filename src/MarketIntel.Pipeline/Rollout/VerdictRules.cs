using System.Globalization;

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
    public static string? Blocker(
        int phase, bool? passed, DateTimeOffset recordedAt, int? routingVersion, int activeVersion, DateTimeOffset now, TimeSpan lifetime)
    {
        switch (passed)
        {
            case null:
                return $"No evaluation of phase {phase}'s candidate routing has been recorded; run one and record a passing verdict.";
            case false:
                return $"The evaluation of phase {phase}'s candidate routing failed; fix the candidate and evaluate again.";
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

    private static string Moment(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
