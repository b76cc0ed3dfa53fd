using MarketIntel.Pipeline.Stages.PricingFramework;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class PricingFrameworkStageTests
{
    private static readonly PricingFrameworkStage Stage = new();

    internal const string ValidOutput = """
    {
      "recommended_price": 25000,
      "pricing_rationale": "A Power 4% client is worth about $48,000 over her lifetime, so $25,000 is a step she can justify. The $60,000 value stack is worth 2.4 times the fee. Value-based pricing ties the fee to a promotion worth $40,000 a year. Her price sensitivity is low once the outcome is concrete.",
      "value_to_price_ratio": "2.4:1",
      "price_anchoring_strategy": {
        "reference_points": ["A missed promotion costs $40,000 a year in pay", "An executive MBA costs $150,000", "BetterUp plans cost $3,000-$5,000 a year without a promotion focus"],
        "framing_technique": "Compare the fee with one year of the raise it earns"
      },
      "payment_structure": {
        "primary_option": "One payment of $25,000",
        "alternative_options": ["3 monthly payments of $9,167", "6 monthly payments of $5,000"]
      },
      "price_sensitivity_mitigation": {
        "top_objection": "I can't justify $25,000 without knowing it will work",
        "response_strategy": "Show promotion case studies and back them with a milestone guarantee"
      },
      "competitive_positioning": "Priced above generalist platforms and below executive search coaching. It is the only offer measured by promotions won."
    }
    """;

    [Fact]
    public void It_reads_the_research_and_the_value_stack() =>
        Assert.Equal([1, 2, 3, 4, 5, 8], Stage.Reads);

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, Job()));

    [Theory]
    [InlineData("recommended_price")]
    [InlineData("pricing_rationale")]
    [InlineData("value_to_price_ratio")]
    [InlineData("price_anchoring_strategy")]
    [InlineData("payment_structure")]
    [InlineData("price_sensitivity_mitigation")]
    [InlineData("competitive_positioning")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), Job()), $"{field} is missing or empty.");

    [Theory]
    [InlineData("price_anchoring_strategy", "framing_technique")]
    [InlineData("payment_structure", "primary_option")]
    [InlineData("price_sensitivity_mitigation", "top_objection")]
    [InlineData("price_sensitivity_mitigation", "response_strategy")]
    public void A_missing_nested_field_is_an_error(string parent, string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o[parent]!.AsObject().Remove(field)), Job()),
            $"{parent}.{field} is missing or empty.");

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Anything_but_three_reference_points_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "price_anchoring_strategy.reference_points", count)), Job()),
            $"price_anchoring_strategy.reference_points must have exactly 3 items, got {count}.");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Anything_but_two_alternative_payments_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "payment_structure.alternative_options", count)), Job()),
            $"payment_structure.alternative_options must have exactly 2 items, got {count}.");

    [Theory]
    [InlineData(4999)]
    [InlineData(11000)]
    [InlineData(25001)]
    public void A_price_other_than_the_chosen_tier_is_an_error(int price) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["recommended_price"] = price), Job()),
            $"recommended_price is {price}; it must be 25000, the price of stage 5's recommended tier \"Signature Accelerator\". [pricing.price-from-tier]");

    [Theory]
    [InlineData("six to one")]
    [InlineData("6x")]
    [InlineData("1:6")]
    [InlineData("2:1")]
    public void A_ratio_other_than_the_value_stack_over_the_price_is_an_error(string ratio) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["value_to_price_ratio"] = ratio), Job()),
            $"value_to_price_ratio is \"{ratio}\"; it must be \"2.4:1\", stage 8's total perceived value $60,000 divided by the offer price $25,000.");

    [Fact]
    public void The_ratio_may_carry_surrounding_blanks() =>
        AssertPerfect(Stage.Validate(TestData.Mutate(ValidOutput, o => o["value_to_price_ratio"] = " 2.4:1 "), Job()));

    [Fact]
    public void Payment_options_other_than_the_computed_plans_are_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_structure"]!["alternative_options"]![0] = "3 monthly payments of $9,000"), Job()),
            "payment_structure.alternative_options[0] is \"3 monthly payments of $9,000\"; it must be \"3 monthly payments of $9,167\", the plan computed from the offer price $25,000. [pricing.payment-options-are-the-plans]");

    [Fact]
    public void A_placeholder_is_an_error_and_counted()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["competitive_positioning"] = "[TBD]"), Job());

        AssertError(result, "competitive_positioning contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
    }

    [Fact]
    public void The_prompt_carries_the_value_stack_total_and_the_pricing_preferences()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User;

        Assert.Contains("$60,000", prompt);
        Assert.Contains("value-based", prompt);
        Assert.Contains("$5,000 - $25,000", prompt);
        Assert.Contains(TestData.Preferences.PrimaryTransformation, prompt);
        Assert.Contains(TestData.Profile.DesiredPricePoint, prompt);
    }

    [Fact]
    public void The_prompt_fixes_the_price_and_the_ratio()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User.ReplaceLineEndings("\n");

        Assert.Contains("## Fixed values (use exactly as given)\n- recommended_price: 25000\n- value_to_price_ratio: \"2.4:1\"\n", prompt);
        Assert.Contains("recommended_price is fixed: the price of stage 5's recommended tier \"Signature Accelerator\".", prompt);
    }
}
