using MarketIntel.Pipeline.Rollout;

namespace MarketIntel.Pipeline.Tests;

/// <summary>When a recorded evaluation verdict still allows its phase (issue 16, item 2).</summary>
public class VerdictRulesTests
{
    private static readonly DateTimeOffset Recorded = new(2026, 1, 26, 2, 15, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void A_fresh_pass_against_the_active_routing_allows_the_phase() =>
        Assert.Null(VerdictRules.Blocker(1, true, Recorded, 4, 4, Recorded + Week - TimeSpan.FromMinutes(1), Week));

    [Theory]
    [InlineData(null, 4, 4, 0, "No evaluation of phase 1")]
    [InlineData(false, 4, 4, 0, "The evaluation of phase 1's candidate routing failed")]
    [InlineData(true, 4, 4, 7 * 24 * 60, "expired after 7.00:00:00")]
    [InlineData(true, 3, 4, 0, "judged routing version 3, but version 4 is active now")]
    [InlineData(true, null, 4, 0, "names no routing version")]
    public void Anything_else_blocks_with_the_reason(bool? passed, int? verdictVersion, int active, int minutesLater, string expected) =>
        Assert.Contains(expected, VerdictRules.Blocker(1, passed, Recorded, verdictVersion, active, Recorded + TimeSpan.FromMinutes(minutesLater), Week));
}
