using MarketIntel.Pipeline.Stages.ValueStack;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class ValueStackStageTests
{
    private static readonly ValueStackStage Stage = new();

    internal const string ValidOutput = """
    {
      "core_components": [
        { "component_name": "Strategic Visibility Intensive", "what_it_is": "Twelve fortnightly 1:1 coaching sessions of 60 minutes", "what_it_does": "Turns the client's impact into a promotion case leadership can see.", "desire_addressed": "Be recognised as a leader", "delivery_format": "Live video call", "perceived_value": 18000 },
        { "component_name": "Time Mastery System", "what_it_is": "A time audit tool with a weekly review ritual", "what_it_does": "Frees eight hours a week for strategic work and family.", "desire_addressed": "Have a life outside work", "delivery_format": "Web tool and worksheet", "perceived_value": 14000 },
        { "component_name": "Sponsor Building Playbook", "what_it_is": "Scripts and a 90-day plan for winning two executive sponsors", "what_it_does": "Puts advocates in the room where promotions are decided.", "desire_addressed": "Be recognised as a leader", "delivery_format": "Workbook and video lessons", "perceived_value": 12000 },
        { "component_name": "Executive Narrative Studio", "what_it_is": "Three coached drafts of the client's leadership narrative", "what_it_does": "Gives a confident, data-backed story for reviews and interviews.", "desire_addressed": "Be recognised as a leader", "delivery_format": "Async review with voice notes", "perceived_value": 9000 },
        { "component_name": "Peer Leadership Circle", "what_it_is": "Private Slack community and bi-weekly group calls", "what_it_does": "Keeps momentum between sessions with peers on the same path.", "desire_addressed": "Have a life outside work", "delivery_format": "Slack and group video calls", "perceived_value": 7000 }
      ],
      "total_perceived_value": 60000,
      "value_stack_summary": "Five components take a senior engineer from invisible to promoted while protecting her time. Together they are worth $60,000 to a buyer whose promotion is worth far more."
    }
    """;

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, Job()));

    [Theory]
    [InlineData("core_components")]
    [InlineData("total_perceived_value")]
    [InlineData("value_stack_summary")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), Job()), $"{field} is missing or empty.");

    [Theory]
    [InlineData("component_name")]
    [InlineData("what_it_is")]
    [InlineData("what_it_does")]
    [InlineData("desire_addressed")]
    [InlineData("delivery_format")]
    public void A_missing_component_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["core_components"]![3]!.AsObject().Remove(field)), Job()),
            $"core_components[3].{field} is missing or empty.");

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Component_count_outside_5_to_7_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "core_components", count)), Job()),
            $"core_components must have 5-7 items, got {count}.");

    [Fact]
    public void Seven_components_adding_up_are_valid()
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            TestData.Resize(o, "core_components", 7);
            o["core_components"]![5]!["component_name"] = "Quarterly Stakeholder Review";
            o["core_components"]![6]!["component_name"] = "Lifetime Updates";
            o["total_perceived_value"] = 74000;
        });

        AssertPerfect(Stage.Validate(json, Job()));
    }

    [Fact]
    public void A_component_worth_nothing_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["core_components"]![0]!["perceived_value"] = 0), Job()),
            "core_components[0].perceived_value must be between 1 and");

    [Fact]
    public void A_value_with_a_dollar_sign_is_a_type_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["total_perceived_value"] = "$60,000"), Job()),
            "total_perceived_value must be number");

    [Fact]
    public void A_total_that_is_not_the_sum_is_an_error()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["total_perceived_value"] = 65000), Job());

        Assert.Equal(["total_perceived_value is $65,000 but the components add up to $60,000; set it to 60000. [value-stack.total-is-sum]"], result.Errors);
        Assert.Equal(90, result.QualityScore);
    }

    [Fact]
    public void A_total_within_a_dollar_of_the_sum_is_accepted() =>
        AssertPerfect(Stage.Validate(TestData.Mutate(ValidOutput, o => o["total_perceived_value"] = 60000.5), Job()));

    [Fact]
    public void A_stack_worth_less_than_three_times_the_lowest_price_costs_a_warning()
    {
        var preferences = TestData.Preferences with { ComfortablePriceRange = new() { Min = 25000, Max = 40000 } };

        AssertOnlyWarning(Stage.Validate(ValidOutput, Job(preferences: preferences)), "below 3x the lowest acceptable price ($75,000)", 5);
    }

    [Fact]
    public void A_placeholder_is_an_error_and_counted()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["core_components"]![2]!["what_it_does"] = "To be determined"), Job());

        AssertError(result, "core_components[2].what_it_does contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
    }

    [Fact]
    public void The_prompt_carries_the_users_assets_and_emphasis()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User;

        Assert.Contains(TestData.Preferences.ProprietaryFrameworks, prompt);
        Assert.Contains(TestData.Preferences.UniqueToolsResources, prompt);
        Assert.Contains(TestData.Preferences.ExclusiveAccess, prompt);
        Assert.Contains(TestData.Preferences.PrimaryTransformation, prompt);
        Assert.Contains("premium bonuses, results guarantee", prompt);
        Assert.Contains("$5,000 - $25,000", prompt);
    }
}
