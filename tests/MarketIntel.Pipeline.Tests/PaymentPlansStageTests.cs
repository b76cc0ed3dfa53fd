using MarketIntel.Pipeline.Stages.PaymentPlans;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class PaymentPlansStageTests
{
    private static readonly PaymentPlansStage Stage = new();

    internal const string ValidOutput = """
    {
      "payment_plans": [
        { "plan_name": "Pay in Full", "payment_structure": "One payment of $25,000", "total_price": 25000, "incentive": "A bonus 1:1 narrative review worth $750", "best_for": "Clients whose employer reimburses development", "conversion_psychology": "The lowest total and an extra session reward commitment", "is_recommended": true },
        { "plan_name": "Three-Payment Plan", "payment_structure": "3 monthly payments of $9,167", "total_price": 27501, "incentive": "Start now and spread the cost over the first quarter", "best_for": "Clients paying from their own budget", "conversion_psychology": "A smaller first payment lowers the barrier to yes", "is_recommended": false },
        { "plan_name": "VIP Extended Plan", "payment_structure": "6 monthly payments of $5,000", "total_price": 30000, "incentive": "Adds a quarterly stakeholder review with the client's sponsor", "best_for": "Clients who want extra support through the promotion cycle", "conversion_psychology": "Extra access justifies the higher total", "is_recommended": false }
      ],
      "recommendation_rationale": "Most buyers in this market are reimbursed by their employer, so paying in full is easy for them. Leading with it also rewards the most committed clients."
    }
    """;

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, Job()));

    [Theory]
    [InlineData("payment_plans")]
    [InlineData("recommendation_rationale")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), Job()), $"{field} is missing or empty.");

    [Theory]
    [InlineData("plan_name")]
    [InlineData("payment_structure")]
    [InlineData("total_price")]
    [InlineData("incentive")]
    [InlineData("best_for")]
    [InlineData("conversion_psychology")]
    [InlineData("is_recommended")]
    public void A_missing_plan_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![1]!.AsObject().Remove(field)), Job()),
            $"payment_plans[1].{field} is missing or empty.");

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Anything_but_three_plans_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "payment_plans", count)), Job()),
            $"payment_plans must have exactly 3 items, got {count}.");

    [Fact]
    public void No_recommended_plan_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![0]!["is_recommended"] = false), Job()),
            "payment_plans must have exactly one plan with is_recommended true, got 0.");

    [Fact]
    public void Two_recommended_plans_are_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![2]!["is_recommended"] = true), Job()),
            "payment_plans must have exactly one plan with is_recommended true, got 2.");

    [Fact]
    public void A_recommendation_as_text_is_a_type_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![0]!["is_recommended"] = "yes"), Job()),
            "payment_plans[0].is_recommended must be boolean");

    [Fact]
    public void A_pay_in_full_total_other_than_the_offer_price_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![0]!["total_price"] = 14000), Job()),
            "payment_plans[0].total_price is 14000; it must be 25000, computed from the offer price $25,000 fixed by stage 9. [plans.pay-in-full-is-price]");

    [Fact]
    public void A_pay_in_full_structure_other_than_the_computed_one_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![0]!["payment_structure"] = "$25,000 at enrolment"), Job()),
            "payment_plans[0].payment_structure is \"$25,000 at enrolment\"; it must be \"One payment of $25,000\"");

    [Fact]
    public void An_instalment_total_other_than_the_computed_one_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![1]!["total_price"] = 27500), Job()),
            "payment_plans[1].total_price is 27500; it must be 27501, computed from the offer price $25,000 fixed by stage 9. [plans.instalments-from-price]");

    [Fact]
    public void Plans_out_of_order_are_an_error()
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            var plans = o["payment_plans"]!.AsArray();
            var first = plans[0]!.DeepClone();
            plans.RemoveAt(0);
            plans.Add(first);
        });

        AssertError(Stage.Validate(json, Job()), "payment_plans[0].payment_structure is \"3 monthly payments of $9,167\"; it must be \"One payment of $25,000\"");
    }

    [Fact]
    public void The_prompt_fixes_every_plan_amount_from_the_offer_price()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User.ReplaceLineEndings("\n");

        Assert.Contains("""
            ## Fixed values (use exactly as given)
            - payment_plans[0].payment_structure: "One payment of $25,000"
            - payment_plans[0].total_price: 25000
            - payment_plans[1].payment_structure: "3 monthly payments of $9,167"
            - payment_plans[1].total_price: 27501
            - payment_plans[2].payment_structure: "6 monthly payments of $5,000"
            - payment_plans[2].total_price: 30000
            """.ReplaceLineEndings("\n"), prompt);
    }

    [Fact]
    public void A_placeholder_is_an_error_and_counted()
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["payment_plans"]![2]!["incentive"] = "Coming soon"), Job());

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
