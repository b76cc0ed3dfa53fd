using MarketIntel.Pipeline.Routing;

namespace MarketIntel.Pipeline.Tests;

/// <summary>A stable model changes through a rollout, or by an approved force (issue 16, item 1).</summary>
public class StableSwitchTests
{
    private static readonly StageRoute Before = new() { Stable = "a" };

    [Fact]
    public void A_change_that_keeps_the_stable_model_is_not_a_switch() =>
        Assert.Null(StableSwitch.Refusal(1, Before, Before with { Candidate = "b", CandidateShare = 10 }, force: false, approved: false, reason: "canary"));

    [Theory]
    [InlineData(false, false, "r")]
    [InlineData(false, true, "r")]
    [InlineData(true, false, "r")]
    [InlineData(true, true, " ")]
    public void A_switch_without_force_approval_and_a_reason_is_refused(bool force, bool approved, string reason) =>
        Assert.Contains("changes through a rollout", StableSwitch.Refusal(3, Before, Before with { Stable = "b" }, force, approved, reason));

    [Fact]
    public void An_approved_force_with_a_reason_switches() =>
        Assert.Null(StableSwitch.Refusal(3, Before, Before with { Stable = "b" }, force: true, approved: true, reason: "provider retires a"));
}
