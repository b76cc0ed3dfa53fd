using MarketIntel.Pipeline.Stages.PricingFramework;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class PricingFrameworkStageTests
{
    private static readonly PricingFrameworkStage Stage = new();

    internal const string ValidOutput = """
    {
      "recommended_price": 10000,
      "pricing_rationale": "A Power 4% client is worth about $48,000 over her lifetime, so $10,000 is a first step she can justify. The $60,000 value stack makes it a 6:1 bargain. Value-based pricing ties the fee to a promotion worth $40,000 a year. Her price sensitivity is low once the outcome is concrete.",
      "value_to_price_ratio": "6:1",
      "price_anchoring_strategy": {
        "reference_points": ["A missed promotion costs $40,000 a year in pay", "An executive MBA costs $150,000", "BetterUp plans cost $3,000-$5,000 a year without a promotion focus"],
        "framing_technique": "Compare the fee with one year of the raise it earns"
      },
      "payment_structure": {
        "primary_option": "Pay in full: $10,000",
        "alternative_options": ["3 monthly payments of $3,600", "6 monthly payments of $1,900"]
      },
      "price_sensitivity_mitigation": {
        "top_objection": "I can't justify $10,000 without knowing it will work",
        "response_strategy": "Show promotion case studies and back them with a milestone guarantee"
      },
      "competitive_positioning": "Priced above generalist platforms and below executive search coaching. It is the only offer measured by promotions won."
    }
    """;

    private static readonly Dictionary<int, string> WithValueStack = new() { [8] = ValueStackStageTests.ValidOutput };

    [Fact]
    public void It_reads_the_research_and_the_value_stack() =>
        Assert.Equal([1, 2, 3, 4, 5, 8], Stage.Reads);

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, TestData.OfferInput(WithValueStack)));

    [Theory]
    [InlineData("recommended_price")]
    [InlineData("pricing_rationale")]
    [InlineData("value_to_price_ratio")]
    [InlineData("price_anchoring_strategy")]
    [InlineData("payment_structure")]
    [InlineData("price_sensitivity_mitigation")]
    [InlineData("competitive_positioning")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), TestData.OfferInput(WithValueStack)), $"{field} is missing or empty.");

    [Theory]
    [InlineData("price_anchoring_strategy", "framing_technique")]
    [InlineData("payment_structure", "primary_option")]
    [InlineData("price_sensitivity_mitigation", "top_objection")]
    [InlineData("price_sensitivity_mitigation", "response_strategy")]
    public void A_missing_nested_field_is_an_error(string parent, string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o[parent]!.AsObject().Remove(field)), TestData.OfferInput(WithValueStack)),
            $"{parent}.{field} is missing or empty.");

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Anything_but_three_reference_points_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "price_anchoring_strategy.reference_points", count)), TestData.OfferInput(WithValueStack)),
            $"price_anchoring_strategy.reference_points must have exactly 3 items, got {count}.");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Anything_but_two_alternative_payments_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "payment_structure.alternative_options", count)), TestData.OfferInput(WithValueStack)),
            $"payment_structure.alternative_options must have exactly 2 items, got {count}.");

    [Theory]
    [InlineData(4999)]
    [InlineData(25001)]
    public void A_price_outside_the_users_range_is_an_error(int price)
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            o["recommended_price"] = price;
            o["value_to_price_ratio"] = $"{Math.Round(60000m / price)}:1";
        });

        var result = Stage.Validate(json, TestData.OfferInput(WithValueStack));

        AssertError(result, $"recommended_price ${price:#,0} is outside the comfortable range $5,000 - $25,000.");
    }

    [Theory]
    [InlineData(5000, "12:1")]
    [InlineData(25000, "2.4:1")]
    public void The_range_bounds_are_inclusive(int price, string ratio) =>
        AssertPerfect(Stage.Validate(TestData.Mutate(ValidOutput, o =>
        {
            o["recommended_price"] = price;
            o["value_to_price_ratio"] = ratio;
        }), TestData.OfferInput(WithValueStack)));

    [Theory]
    [InlineData("six to one")]
    [InlineData("6x")]
    [InlineData("1:6")]
    public void A_ratio_not_written_n_to_1_is_an_error(string ratio) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["value_to_price_ratio"] = ratio), TestData.OfferInput(WithValueStack)),
            "value_to_price_ratio must read N:1");

    [Theory]
    [InlineData(" 6 : 1 ")]
    [InlineData("7:1")]
    [InlineData("5.5:1")]
    public void A_ratio_within_a_quarter_of_the_implied_one_is_accepted(string ratio) =>
        AssertPerfect(Stage.Validate(TestData.Mutate(ValidOutput, o => o["value_to_price_ratio"] = ratio), TestData.OfferInput(WithValueStack)));

    [Theory]
    [InlineData("8:1")]
    [InlineData("4:1")]
    public void A_ratio_that_disagrees_with_the_value_stack_costs_a_warning(string ratio) =>
        AssertOnlyWarning(Stage.Validate(TestData.Mutate(ValidOutput, o => o["value_to_price_ratio"] = ratio), TestData.OfferInput(WithValueStack)),
            "$60,000 / $10,000 is about 6:1", 5);

    [Fact]
    public void A_placeholder_is_an_error_and_counted()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["competitive_positioning"] = "[TBD]"), TestData.OfferInput(WithValueStack));

        AssertError(result, "competitive_positioning contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
    }

    [Fact]
    public void The_prompt_carries_the_value_stack_total_and_the_pricing_preferences()
    {
        var prompt = Stage.BuildPrompt(PromptInput(WithValueStack), Condensed).User;

        Assert.Contains("$60,000", prompt);
        Assert.Contains("value-based", prompt);
        Assert.Contains("$5,000 - $25,000", prompt);
        Assert.Contains(TestData.Preferences.PrimaryTransformation, prompt);
        Assert.Contains(TestData.Profile.DesiredPricePoint, prompt);
    }
}
