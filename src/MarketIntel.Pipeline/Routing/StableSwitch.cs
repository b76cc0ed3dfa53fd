namespace MarketIntel.Pipeline.Routing;

/// <summary>
/// The rule that a stage's stable model changes through a rollout (a phase: canary, analysis, promotion), not by editing
/// the route: the January incident was one such edit moving every job at once. An operator may still force a switch, but
/// only on purpose: <c>force</c>, an approval and the reason, recorded as a forced change.
/// </summary>
public static class StableSwitch
{
    /// <summary>The history kind of a forced switch, so it stands out from ordinary changes.</summary>
    public const string ForcedKind = "forced-change";

    /// <summary>Why the change from <paramref name="before"/> to <paramref name="after"/> of stage <paramref name="stage"/> is refused, or null.</summary>
    public static string? Refusal(int stage, StageRoute before, StageRoute after, bool force, bool approved, string? reason)
    {
        if (after.Stable == before.Stable || (force && approved && !string.IsNullOrWhiteSpace(reason)))
        {
            return null;
        }
        return $"Stage {stage}'s stable model changes through a rollout, not directly: put {after.Stable} on canary (a phase, "
            + "POST /api/phases/{{n}}/apply) and let the canary analysis promote it. To switch at once anyway, send \"force\": true "
            + "and \"approved\": true with the reason; the history records it as forced. Nothing was changed.";
    }
}
