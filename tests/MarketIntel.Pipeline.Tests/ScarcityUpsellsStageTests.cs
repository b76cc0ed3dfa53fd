using MarketIntel.Pipeline.Stages.ScarcityUpsells;
using static MarketIntel.Pipeline.Tests.OfferStageTestKit;

namespace MarketIntel.Pipeline.Tests;

public class ScarcityUpsellsStageTests
{
    private static readonly ScarcityUpsellsStage Stage = new();

    internal const string ValidOutput = """
    {
      "order_bumps": [
        { "bump_name": "Promotion Case Quick-Start Kit", "what_it_is": "Templates and a recorded walkthrough for a first promotion case", "why_add_it": "Start on day one instead of waiting for the first session", "price": 27, "perceived_value": 150, "best_for": "Clients with a review in the next quarter", "conversion_hook": "Have your case drafted before your first call" },
        { "bump_name": "Executive Presence Audio Series", "what_it_is": "Ten short audio lessons on speaking up in leadership meetings", "why_add_it": "Practise presence on the commute", "price": 37, "perceived_value": 200, "best_for": "Clients who freeze in executive meetings", "conversion_hook": "Ten minutes a day to sound like the director in the room" },
        { "bump_name": "Sponsor Tracker Notion Template", "what_it_is": "A Notion workspace to track sponsor conversations and follow-ups", "why_add_it": "Never lose track of a sponsor again", "price": 47, "perceived_value": 120, "best_for": "Organised clients who like systems", "conversion_hook": "The tool our promoted clients used every week" }
      ],
      "upsells": [
        { "upsell_name": "Narrative Review Intensive", "what_it_is": "Two extra 1:1 sessions to perfect the promotion narrative", "why_upgrade": "The narrative decides the review. Two extra sessions make it airtight.", "price": 297, "perceived_value": 1200, "best_for": "Clients with a review within three months", "conversion_hook": "Walk into your review with a story already tested twice. This is only offered now.", "delivery": "Two video calls booked within 30 days" },
        { "upsell_name": "Leadership Circle Year Pass", "what_it_is": "Twelve months of group coaching and the private community after the programme", "why_upgrade": "Promotion is the start, not the end. The year pass keeps momentum into the new role.", "price": 997, "perceived_value": 4000, "best_for": "Clients who want support through their first year as director", "conversion_hook": "Keep your peers and coach beside you in year one. Members renew at 80%.", "delivery": "Monthly group calls and Slack access for 12 months" }
      ],
      "scarcity_mechanisms": {
        "enrollment_scarcity": "Each cohort is capped at 12 clients so every session stays personal. The next cohort opens in three months.",
        "bonus_scarcity": "The quick-start bonuses are included only for 72 hours after the enrolment call. After that they are sold separately.",
        "price_scarcity": "Founding clients pay $10,000; the price rises to $12,500 for the next cohort.",
        "social_proof_scarcity": "The last two cohorts filled within ten days. Eight of the last twelve clients were promoted within a year."
      },
      "total_order_bump_revenue_potential": 111,
      "total_upsell_revenue_potential": 1294,
      "monetization_summary": "Three low-priced bumps raise the average order at checkout. Two one-time offers after purchase add tactical and strategic depth. Honest cohort caps and bonus windows give a reason to act now. Together they lift revenue per buyer by about $1,000."
    }
    """;

    [Fact]
    public void It_uses_the_stage_13_weights() => Assert.Equal(new(7, 3), Stage.Weights);

    [Fact]
    public void A_complete_output_is_valid_with_full_score() =>
        AssertPerfect(Stage.Validate(ValidOutput, Job()));

    [Theory]
    [InlineData("order_bumps")]
    [InlineData("upsells")]
    [InlineData("scarcity_mechanisms")]
    [InlineData("total_order_bump_revenue_potential")]
    [InlineData("total_upsell_revenue_potential")]
    [InlineData("monetization_summary")]
    public void Each_missing_top_level_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o.Remove(field)), Job()), $"{field} is missing or empty.");

    [Theory]
    [InlineData("bump_name")]
    [InlineData("what_it_is")]
    [InlineData("why_add_it")]
    [InlineData("price")]
    [InlineData("perceived_value")]
    [InlineData("best_for")]
    [InlineData("conversion_hook")]
    public void A_missing_bump_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["order_bumps"]![1]!.AsObject().Remove(field)), Job()),
            $"order_bumps[1].{field} is missing or empty.");

    [Theory]
    [InlineData("upsell_name")]
    [InlineData("why_upgrade")]
    [InlineData("price")]
    [InlineData("delivery")]
    public void A_missing_upsell_field_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["upsells"]![0]!.AsObject().Remove(field)), Job()),
            $"upsells[0].{field} is missing or empty.");

    [Theory]
    [InlineData("enrollment_scarcity")]
    [InlineData("bonus_scarcity")]
    [InlineData("social_proof_scarcity")]
    public void A_missing_scarcity_mechanism_is_an_error(string field) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["scarcity_mechanisms"]!.AsObject().Remove(field)), Job()),
            $"scarcity_mechanisms.{field} is missing or empty.");

    [Fact]
    public void Price_scarcity_is_optional() =>
        AssertPerfect(Stage.Validate(TestData.Mutate(ValidOutput, o => o["scarcity_mechanisms"]!.AsObject().Remove("price_scarcity")), Job()));

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Anything_but_three_bumps_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "order_bumps", count)), Job()),
            $"order_bumps must have exactly 3 items, got {count}.");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Anything_but_two_upsells_is_an_error(int count) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => TestData.Resize(o, "upsells", count)), Job()),
            $"upsells must have exactly 2 items, got {count}.");

    [Theory]
    [InlineData(26)]
    [InlineData(48)]
    public void A_bump_price_outside_27_to_47_is_an_error(int price)
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            o["order_bumps"]![0]!["price"] = price;
            o["total_order_bump_revenue_potential"] = price + 84;
        });

        var result = Stage.Validate(json, Job());

        Assert.Equal([$"order_bumps[0].price must be between 27 and 47, got {price}."], result.Errors);
        Assert.Equal(93, result.QualityScore);
    }

    [Theory]
    [InlineData(96)]
    [InlineData(998)]
    public void An_upsell_price_outside_97_to_997_is_an_error(int price) =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["upsells"]![1]!["price"] = price), Job()),
            "upsells[1].price must be between 97 and 997");

    [Fact]
    public void A_strategic_price_on_the_first_upsell_is_an_error()
    {
        var json = TestData.Mutate(ValidOutput, o =>
        {
            o["upsells"]![0]!["price"] = 497;
            o["upsells"]![0]!["perceived_value"] = 2000;
        });

        Assert.Equal(["upsells[0].price is 497; it must be 297, priced from the core offer price $25,000 fixed by stage 9. [add-ons.upsells-from-price]"],
            Stage.Validate(json, Job()).Errors);
    }

    [Fact]
    public void A_tactical_price_on_the_second_upsell_is_an_error() =>
        Assert.Equal(["upsells[1].price is 297; it must be 997, priced from the core offer price $25,000 fixed by stage 9. [add-ons.upsells-from-price]"],
            Stage.Validate(TestData.Mutate(ValidOutput, o => o["upsells"]![1]!["price"] = 297), Job()).Errors);

    [Fact]
    public void A_bump_total_that_is_not_the_sum_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["total_order_bump_revenue_potential"] = 150), Job()),
            "total_order_bump_revenue_potential is $150 but the bump prices add up to $111; set it to 111. [add-ons.bump-total-is-sum]");

    [Fact]
    public void An_upsell_total_that_is_not_the_sum_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["total_upsell_revenue_potential"] = 1000), Job()),
            "total_upsell_revenue_potential is 1000; it must be 1294, the sum of the two upsell prices. [add-ons.upsells-from-price]");

    [Fact]
    public void A_bump_worth_no_more_than_its_price_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["order_bumps"]![2]!["perceived_value"] = 47), Job()),
            "order_bumps[2].perceived_value $47 must be above its price $47.");

    [Fact]
    public void An_upsell_worth_less_than_its_price_is_an_error() =>
        AssertError(Stage.Validate(TestData.Mutate(ValidOutput, o => o["upsells"]![1]!["perceived_value"] = 500), Job()),
            "upsells[1].perceived_value $500 must be above its price $997.");

    [Theory]
    [InlineData("[Insert bump name]")]
    [InlineData("TBD")]
    public void A_placeholder_is_an_error_and_counted(string placeholder)
    {
        var result = Stage.Validate(TestData.Mutate(ValidOutput, o => o["order_bumps"]![0]!["bump_name"] = placeholder), Job());

        AssertError(result, "order_bumps[0].bump_name contains a placeholder");
        Assert.Equal(1, result.Metrics.PlaceholderCount);
        Assert.Equal(93, result.QualityScore);
    }

    [Fact]
    public void The_prompt_carries_the_preferences_the_original_ignored()
    {
        var prompt = Stage.BuildPrompt(PromptInput(), Condensed).User;

        Assert.Contains("maximize conversion rate, maximize average order value, build trust authority", prompt);
        Assert.Contains("value-based", prompt);
        Assert.Contains("$5,000 - $25,000", prompt);
        Assert.Contains("premium bonuses, results guarantee", prompt);
        Assert.Contains(TestData.Profile.UniqueMechanism, prompt);
    }
}
