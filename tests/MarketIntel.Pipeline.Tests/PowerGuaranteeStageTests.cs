using MarketIntel.Pipeline.Stages.PowerGuarantee;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class PowerGuaranteeStageTests
{
    private static readonly PowerGuaranteeStage Stage = new();

    internal const string ValidOutput = """
    {
      "guarantee_options": [
        { "guarantee_name": "60-Day Implementation Guarantee", "guarantee_terms": "Do the work for 60 days and if you see no progress, get every dollar back. You show your completed worksheets and session notes.", "whats_covered": "The full programme fee", "trigger_conditions": "Attended 4 sessions and completed the impact map", "refund_remedy_terms": "Full refund within 14 days of the claim", "psychological_impact": "Removes the fear of paying for coaching that changes nothing", "risk_level": "low" },
        { "guarantee_name": "Sponsor Milestone Guarantee", "guarantee_terms": "Within 90 days you will have two executive sponsors. If not, we coach you for free until you do.", "whats_covered": "Extra 1:1 sessions until the milestone is reached", "trigger_conditions": "Followed the sponsor playbook and attended every session", "refund_remedy_terms": "Free coaching until two sponsors are secured", "psychological_impact": "Turns the fear of being unseen into a promise with a date", "risk_level": "moderate" },
        { "guarantee_name": "Promotion-or-Refund Guarantee", "guarantee_terms": "Get promoted or receive a formal promotion commitment within 180 days, or get a full refund and keep every resource. The outcome is the guarantee.", "whats_covered": "The full fee plus all materials", "trigger_conditions": "Completed the programme and presented the promotion case", "refund_remedy_terms": "Full refund and continued access to the community", "psychological_impact": "Makes the decision feel risk-free for a buyer afraid of wasting money", "risk_level": "high" }
      ],
      "recommended_guarantee": 2,
      "recommendation_rationale": "A milestone guarantee matches the user's moderate tolerance. It answers the buyer's fear of being invisible with a concrete 90-day result the business controls."
    }
    """;

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, Job()));

    [Theory]
    [InlineData("guarantee_options")]
    [InlineData("recommended_guarantee")]
    [InlineData("recommendation_rationale")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), Job()), $"{field} is missing or empty.");

    [Theory]
    [InlineData("guarantee_name")]
    [InlineData("guarantee_terms")]
    [InlineData("whats_covered")]
    [InlineData("trigger_conditions")]
    [InlineData("refund_remedy_terms")]
    [InlineData("psychological_impact")]
    [InlineData("risk_level")]
    public void A_missing_guarantee_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["guarantee_options"]![2]!.AsObject().Remove(field)), Job()),
            $"guarantee_options[2].{field} is missing or empty.");

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Anything_but_three_guarantees_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "guarantee_options", count)), Job()),
            $"guarantee_options must have exactly 3 items, got {count}.");

    [Theory]
    [InlineData("extreme")]
    [InlineData("Low")]
    public void A_risk_level_outside_the_enum_is_an_error(string level) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["guarantee_options"]![0]!["risk_level"] = level), Job()),
            $"guarantee_options[0].risk_level must be one of low, moderate, high, got '{level}'.");

    [Fact]
    public void Repeated_risk_levels_are_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["guarantee_options"]![2]!["risk_level"] = "moderate"), Job()),
            "guarantee_options must each have a different risk_level, got low, moderate, moderate.");

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Recommended_guarantee_outside_1_to_3_is_an_error(int value) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["recommended_guarantee"] = value), Job()),
            "recommended_guarantee must be between 1 and 3");

    [Fact]
    public void The_originals_string_index_is_a_type_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["recommended_guarantee"] = "2"), Job()),
            "recommended_guarantee must be integer");

    [Theory]
    [InlineData("conservative", 1)]
    [InlineData("moderate", 2)]
    [InlineData("aggressive", 3)]
    public void Recommending_the_level_that_matches_the_tolerance_is_perfect(string tolerance, int recommended) =>
        AssertPerfect(Stage.Validate(TestData.Mutate(ValidOutput, o => o["recommended_guarantee"] = recommended),
            Job(preferences: TestData.Preferences with { GuaranteeRiskTolerance = tolerance })));

    [Theory]
    [InlineData("conservative", 3, "high risk, but the conservative risk tolerance calls for low")]
    [InlineData("moderate", 1, "low risk, but the moderate risk tolerance calls for moderate")]
    [InlineData("aggressive", 2, "moderate risk, but the aggressive risk tolerance calls for high")]
    public void Recommending_another_level_costs_a_warning(string tolerance, int recommended, string message) =>
        AssertOnlyWarning(Stage.Validate(TestData.Mutate(ValidOutput, o => o["recommended_guarantee"] = recommended),
            Job(preferences: TestData.Preferences with { GuaranteeRiskTolerance = tolerance })), message, 5);

    [Fact]
    public void A_placeholder_is_an_error_and_counted()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["guarantee_options"]![1]!["whats_covered"] = "[Details]"), Job());

        AssertError(result, "guarantee_options[1].whats_covered contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
    }

    [Theory]
    [InlineData("conservative", "risk level is low")]
    [InlineData("moderate", "risk level is moderate")]
    [InlineData("aggressive", "risk level is high")]
    public void The_prompt_steers_to_the_level_of_the_users_tolerance(string tolerance, string expected)
    {
        var prompt = Stage.BuildPrompt(PromptInput(preferences: TestData.Preferences with { GuaranteeRiskTolerance = tolerance }), Condensed).User;

        Assert.Contains($"Guarantee risk tolerance: {tolerance}", prompt);
        Assert.Contains(expected, prompt);
        Assert.Contains(TestData.Preferences.PrimaryTransformation, prompt);
        Assert.Contains(TestData.Profile.ServiceType, prompt);
    }
}
