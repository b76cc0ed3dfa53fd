using MarketIntel.Pipeline.Rollout;
using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Pipeline.Tests;

/// <summary>When a recorded evaluation verdict still allows its phase (issue 16, item 2).</summary>
public class VerdictRulesTests
{
    private static readonly DateTimeOffset Recorded = new(2026, 1, 26, 2, 15, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void A_fresh_pass_against_the_active_routing_allows_the_phase() =>
        Assert.Null(VerdictRules.Blocker(1, true, null, Recorded, 4, 4, Recorded + Week - TimeSpan.FromMinutes(1), Week));

    [Theory]
    [InlineData(null, 4, 4, 0, "No evaluation of phase 1")]
    [InlineData(false, 4, 4, 0, "The evaluation of phase 1's candidate routing failed (stage 2 quality 91)")]
    [InlineData(true, 4, 4, 7 * 24 * 60, "expired after 7.00:00:00")]
    [InlineData(true, 3, 4, 0, "judged routing version 3, but version 4 is active now")]
    [InlineData(true, null, 4, 0, "names no routing version")]
    public void Anything_else_blocks_with_the_reason(bool? passed, int? verdictVersion, int active, int minutesLater, string expected) =>
        Assert.Contains(expected, VerdictRules.Blocker(1, passed, "stage 2 quality 91", Recorded, verdictVersion, active, Recorded + TimeSpan.FromMinutes(minutesLater), Week));

    private static readonly RolloutPhase Phase1 = new() { Number = 1, Name = "FP8 on 1-2", Stages = [1, 2], TargetModel = "fp8" };

    private static RoutingDocument Routing(params (int Stage, StageRoute Route)[] routes) =>
        new() { Stages = routes.ToDictionary(r => r.Stage, r => r.Route) };

    [Fact]
    public void An_evaluation_of_exactly_the_phase_s_stages_and_target_is_in_scope()
    {
        var baseline = Routing((1, new() { Stable = "a" }), (2, new() { Stable = "a" }), (3, new() { Stable = "a" }));
        var candidate = Routing((1, new() { Stable = "fp8" }), (2, new() { Stable = "a", Candidate = "fp8", CandidateShare = 100 }), (3, new() { Stable = "a" }));

        Assert.Empty(VerdictRules.ScopeProblems(Phase1, baseline, candidate));
    }

    [Fact]
    public void A_candidate_that_misses_a_stage_splits_traffic_or_changes_another_stage_is_out_of_scope()
    {
        var baseline = Routing((1, new() { Stable = "a" }), (2, new() { Stable = "a" }), (3, new() { Stable = "a" }));
        var candidate = Routing((1, new() { Stable = "a" }), (2, new() { Stable = "a", Candidate = "fp8", CandidateShare = 50 }), (3, new() { Stable = "fp8" }));

        Assert.Equal(
        [
            "stage 1 is served by a in the candidate evaluation, not by phase 1's target fp8",
            "stage 2 is served by no single model in the candidate evaluation, not by phase 1's target fp8",
            "stage 3 is not part of phase 1 but is served by fp8 in the candidate and by a in the baseline",
        ], VerdictRules.ScopeProblems(Phase1, baseline, candidate));
    }
}
