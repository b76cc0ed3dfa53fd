using MarketIntel.Pipeline.Stages.PremiumBonuses;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class PremiumBonusesStageTests
{
    private static readonly PremiumBonusesStage Stage = new();

    internal const string ValidOutput = """
    {
      "bonuses": [
        { "bonus_name": "Promotion Case Quick-Start", "what_it_is": "A 45-minute recorded workshop with a fill-in promotion case template", "what_it_does": "Gets a first draft of the promotion case done in week 1", "desire_pain_addressed": "Be recognised as a leader", "delivery_timing": "Instantly after enrolment", "perceived_value": 500, "why_its_valuable": "A visible first win in seven days builds belief in the programme" },
        { "bonus_name": "Delegation Template Vault", "what_it_is": "Twenty delegation and status-update templates for engineering managers", "what_it_does": "Frees five hours a week from status meetings", "desire_pain_addressed": "Have a life outside work", "delivery_timing": "Day 1", "perceived_value": 750, "why_its_valuable": "Removes the time obstacle that stops clients doing the coaching work" },
        { "bonus_name": "Sponsor Intro Scripts", "what_it_is": "Word-for-word scripts for the first three sponsor conversations", "what_it_does": "Makes asking for sponsorship feel natural", "desire_pain_addressed": "Fear of sounding self-promotional", "delivery_timing": "Week 1", "perceived_value": 400, "why_its_valuable": "Speeds up the hardest step of the framework" }
      ],
      "total_bonus_value": 1650,
      "strategic_bonus_summary": "The bonuses give a first win, free up time and speed up sponsor building. Together they are worth $1,650 and arrive in the first week."
    }
    """;

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, Job()));

    [Theory]
    [InlineData("bonuses")]
    [InlineData("total_bonus_value")]
    [InlineData("strategic_bonus_summary")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), Job()), $"{field} is missing or empty.");

    [Theory]
    [InlineData("bonus_name")]
    [InlineData("what_it_is")]
    [InlineData("what_it_does")]
    [InlineData("desire_pain_addressed")]
    [InlineData("delivery_timing")]
    [InlineData("perceived_value")]
    [InlineData("why_its_valuable")]
    public void A_missing_bonus_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["bonuses"]![0]!.AsObject().Remove(field)), Job()),
            $"bonuses[0].{field} is missing or empty.");

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void Bonus_count_outside_3_to_5_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "bonuses", count)), Job()),
            $"bonuses must have 3-5 items, got {count}.");

    [Theory]
    [InlineData(99)]
    [InlineData(2001)]
    public void A_bonus_value_outside_100_to_2000_is_an_error(int value) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["bonuses"]![1]!["perceived_value"] = value), Job()),
            "bonuses[1].perceived_value must be between 100 and 2000");

    [Fact]
    public void A_total_that_is_not_the_sum_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["total_bonus_value"] = 2000), Job()),
            "total_bonus_value is $2,000 but the bonuses add up to $1,650; set it to 1650. [bonuses.total-is-sum]");

    [Theory]
    [InlineData(150, 450)]
    [InlineData(1500, 4500)]
    public void A_total_outside_500_to_3000_costs_a_warning(int each, int total)
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            foreach (var bonus in o["bonuses"]!.AsArray())
            {
                bonus!["perceived_value"] = each;
            }
            o["total_bonus_value"] = total;
        });

        AssertOnlyWarning(Stage.Validate(json, Job()), "outside the credible $500-$3,000", 5);
    }

    [Fact]
    public void A_placeholder_is_an_error_and_counted()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["bonuses"]![2]!["bonus_name"] = "Bonus TODO"), Job());

        AssertError(result, "bonuses[2].bonus_name contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
    }

    [Fact]
    public void The_prompt_carries_the_users_frameworks_tools_and_access()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User;

        Assert.Contains(TestData.Preferences.ProprietaryFrameworks, prompt);
        Assert.Contains(TestData.Preferences.UniqueToolsResources, prompt);
        Assert.Contains(TestData.Preferences.ExclusiveAccess, prompt);
        Assert.Contains(TestData.Profile.UniqueMechanism, prompt);
    }
}
