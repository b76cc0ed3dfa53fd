using MarketIntel.Pipeline.Stages.PaymentPlans;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class PaymentPlansStageTests
{
    private static readonly PaymentPlansStage Stage = new();

    internal const string ValidOutput = """
    {
      "payment_plans": [
        { "plan_name": "Pay in Full", "payment_structure": "One payment of $10,000", "total_price": 10000, "incentive": "A bonus 1:1 narrative review worth $750", "best_for": "Clients whose employer reimburses development", "conversion_psychology": "The lowest total and an extra session reward commitment", "is_recommended": true },
        { "plan_name": "Three-Payment Plan", "payment_structure": "3 monthly payments of $3,800", "total_price": 11400, "incentive": "Start now and spread the cost over the first quarter", "best_for": "Clients paying from their own budget", "conversion_psychology": "A smaller first payment lowers the barrier to yes", "is_recommended": false },
        { "plan_name": "VIP Extended Plan", "payment_structure": "6 monthly payments of $2,150", "total_price": 12900, "incentive": "Adds a quarterly stakeholder review with the client's sponsor", "best_for": "Clients who want extra support through the promotion cycle", "conversion_psychology": "Extra access justifies the higher total", "is_recommended": false }
      ],
      "recommendation_rationale": "Most buyers in this market are reimbursed by their employer, so paying in full is easy for them. Leading with it also rewards the most committed clients."
    }
    """;

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, TestData.OfferInput()));

    [Theory]
    [InlineData("payment_plans")]
    [InlineData("recommendation_rationale")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), TestData.OfferInput()), $"{field} is missing or empty.");

    [Theory]
    [InlineData("plan_name")]
    [InlineData("payment_structure")]
    [InlineData("total_price")]
    [InlineData("incentive")]
    [InlineData("best_for")]
    [InlineData("conversion_psychology")]
    [InlineData("is_recommended")]
    public void A_missing_plan_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![1]!.AsObject().Remove(field)), TestData.OfferInput()),
            $"payment_plans[1].{field} is missing or empty.");

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Plan_count_outside_2_to_3_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "payment_plans", count)), TestData.OfferInput()),
            $"payment_plans must have 2-3 items, got {count}.");

    [Fact]
    public void Two_plans_are_enough() =>
        AssertPerfect(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "payment_plans", 2)), TestData.OfferInput()));

    [Fact]
    public void No_recommended_plan_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![0]!["is_recommended"] = false), TestData.OfferInput()),
            "payment_plans must have exactly one plan with is_recommended true, got 0.");

    [Fact]
    public void Two_recommended_plans_are_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![2]!["is_recommended"] = true), TestData.OfferInput()),
            "payment_plans must have exactly one plan with is_recommended true, got 2.");

    [Fact]
    public void A_recommendation_as_text_is_a_type_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![0]!["is_recommended"] = "yes"), TestData.OfferInput()),
            "payment_plans[0].is_recommended must be boolean");

    [Fact]
    public void Pay_in_full_costing_more_than_an_instalment_plan_costs_a_warning() =>
        AssertOnlyWarning(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![0]!["total_price"] = 12000), TestData.OfferInput()),
            "'Three-Payment Plan' costs $11,400", 5);

    [Fact]
    public void Pay_in_full_is_found_wherever_it_is_listed()
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            var plans = o["payment_plans"]!.AsArray();
            var first = plans[0]!.DeepClone();
            plans.RemoveAt(0);
            plans.Add(first);
        });

        AssertPerfect(Stage.Validate(json, TestData.OfferInput()));
    }

    [Fact]
    public void No_plan_reading_as_pay_in_full_costs_a_warning() =>
        AssertOnlyWarning(Stage.Validate(TestData.Mutate(ValidOutput, o =>
        {
            o["payment_plans"]![0]!["plan_name"] = "Founding Member";
            o["payment_plans"]![0]!["payment_structure"] = "$10,000 at enrolment";
        }), TestData.OfferInput()), "No plan reads as pay-in-full", 5);

    [Fact]
    public void A_placeholder_is_an_error_and_counted()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![2]!["incentive"] = "Coming soon"), TestData.OfferInput());

        AssertError(result, "payment_plans[2].incentive contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
    }

    [Fact]
    public void The_prompt_carries_the_pricing_preferences_the_original_ignored()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User;

        Assert.Contains("value-based", prompt);
        Assert.Contains("$5,000 - $25,000", prompt);
        Assert.Contains("premium bonuses, results guarantee", prompt);
        Assert.Contains(TestData.Profile.OfferDuration, prompt);
    }
}
