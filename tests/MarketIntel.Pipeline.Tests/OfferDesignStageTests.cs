using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.OfferDesign;

namespace MarketIntel.Pipeline.Tests;

public class OfferDesignStageTests
{
    private static readonly OfferDesignStage Stage = new();
    private static readonly StageInput Input = ResearchSamples.Input(4);

    private static Validation.ValidationResult Validate(Action<JsonObject> change) =>
        Stage.Validate(TestData.Mutate(ResearchSamples.OfferDesign, change), Input);

    [Fact]
    public void A_complete_output_is_valid_with_full_score()
    {
        var result = Stage.Validate(ResearchSamples.OfferDesign, Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(100, result.QualityScore);
    }

    [Theory]
    [InlineData("core_offer")]
    [InlineData("pricing_tiers")]
    [InlineData("payment_plans")]
    [InlineData("marketing_messages")]
    [InlineData("guarantee")]
    [InlineData("bonuses")]
    [InlineData("first_campaign")]
    [InlineData("core_offer.offer_name")]
    [InlineData("core_offer.unique_positioning")]
    [InlineData("pricing_tiers[1].price")]
    [InlineData("pricing_tiers[0].is_recommended")]
    [InlineData("payment_plans[1].total_cost")]
    [InlineData("marketing_messages[7].usage")]
    [InlineData("guarantee.why_it_works")]
    [InlineData("bonuses[2].value")]
    [InlineData("first_campaign.launch_timeline")]
    public void A_missing_field_is_an_error(string path)
    {
        var result = Validate(o => TestData.Remove(o, path));

        Assert.Contains($"{path} is missing or empty.", result.Errors);
    }

    [Theory]
    [InlineData("pricing_tiers", 2, "must have exactly 3 items")]
    [InlineData("pricing_tiers", 4, "must have exactly 3 items")]
    [InlineData("payment_plans", 2, "must have exactly 3 items")]
    [InlineData("payment_plans", 4, "must have exactly 3 items")]
    [InlineData("marketing_messages", 14, "must have exactly 15 items")]
    [InlineData("marketing_messages", 16, "must have exactly 15 items")]
    [InlineData("bonuses", 2, "must have 3-5 items")]
    [InlineData("bonuses", 6, "must have 3-5 items")]
    [InlineData("core_offer.pain_points_solved", 1, "must have 2-5 items")]
    [InlineData("core_offer.pain_points_solved", 6, "must have 2-5 items")]
    [InlineData("core_offer.desires_delivered", 1, "must have 2-5 items")]
    [InlineData("core_offer.desires_delivered", 6, "must have 2-5 items")]
    [InlineData("pricing_tiers[0].deliverables", 4, "must have 5-8 items")]
    [InlineData("pricing_tiers[2].deliverables", 9, "must have 5-8 items")]
    public void Counts_are_enforced_both_ways(string path, int count, string message)
    {
        var result = Validate(o => TestData.Resize(o, path, count));

        Assert.Contains($"{path} {message}, got {count}.", result.Errors);
    }

    [Fact]
    public void A_price_given_as_text_is_a_type_error()
    {
        var result = Validate(o => TestData.Set(o, "pricing_tiers[1].price", "$25,000"));

        Assert.Contains(result.Errors, e => e.StartsWith("pricing_tiers[1].price must be number", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pricing_tiers[0].tier_number", 0)]
    [InlineData("pricing_tiers[2].tier_number", 4)]
    [InlineData("pricing_tiers[0].price", 0)]
    [InlineData("bonuses[0].value", -100)]
    [InlineData("payment_plans[0].total_cost", 0)]
    public void Numbers_outside_their_range_are_errors(string path, int value)
    {
        var result = Validate(o => TestData.Set(o, path, value));

        Assert.Contains(result.Errors, e => e.StartsWith($"{path} must be between", StringComparison.Ordinal));
    }

    [Fact]
    public void A_message_type_outside_the_enum_is_an_error()
    {
        var result = Validate(o => TestData.Set(o, "marketing_messages[0].type", "fear-based"));

        Assert.Contains(result.Errors, e => e.StartsWith("marketing_messages[0].type must be one of pain-based, desire-based, curiosity", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("core_offer.offer_name", "[Insert offer name]")]
    [InlineData("guarantee.guarantee_text", "TBD")]
    [InlineData("first_campaign.message", "{headline}")]
    public void A_placeholder_is_an_error_and_counted(string path, string value)
    {
        var result = Validate(o => TestData.Set(o, path, value));

        Assert.True(result.Metrics.PlaceholderCount >= 1);
        Assert.Contains(result.Errors, e => e.StartsWith($"{path} contains a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_tier_2_may_be_recommended()
    {
        var result = Validate(o =>
        {
            TestData.Set(o, "pricing_tiers[1].is_recommended", false);
            TestData.Set(o, "pricing_tiers[2].is_recommended", true);
        });

        Assert.Contains("pricing_tiers must recommend tier 2 only; recommended: 3.", result.Errors);
    }

    [Fact]
    public void Two_recommended_tiers_are_an_error()
    {
        var result = Validate(o => TestData.Set(o, "pricing_tiers[0].is_recommended", true));

        Assert.Contains("pricing_tiers must recommend tier 2 only; recommended: 1, 2.", result.Errors);
    }

    [Fact]
    public void No_recommended_tier_is_an_error()
    {
        var result = Validate(o => TestData.Set(o, "pricing_tiers[1].is_recommended", false));

        Assert.Contains("pricing_tiers must recommend tier 2; none is recommended.", result.Errors);
        Assert.Equal(94, result.QualityScore);
    }

    [Fact]
    public void Tier_numbers_must_be_1_2_3_once_each()
    {
        var result = Validate(o => TestData.Set(o, "pricing_tiers[2].tier_number", 2));

        Assert.Contains("pricing_tiers must be numbered 1, 2 and 3 once each, got 1, 2, 2.", result.Errors);
    }

    [Fact]
    public void Prices_must_rise_with_the_tier()
    {
        var result = Validate(o => TestData.Set(o, "pricing_tiers[0].price", 30000));

        Assert.Contains("pricing_tiers prices must rise from tier 1 to tier 3, got $30,000, $25,000, $45,000. [tiers.ascend]", result.Errors);
    }

    [Theory]
    [InlineData(7000)]
    [InlineData(16000)]
    public void A_gateway_tier_far_from_40_to_50_percent_is_a_warning(int price)
    {
        var result = Validate(o => TestData.Set(o, "pricing_tiers[0].price", price));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Contains(result.Warnings, w => w.StartsWith("pricing_tiers tier 1", StringComparison.Ordinal));
        Assert.Equal(97, result.QualityScore);
    }

    [Theory]
    [InlineData(30000)]
    [InlineData(60000)]
    public void A_premium_tier_far_from_150_to_200_percent_is_a_warning(int price)
    {
        var result = Validate(o => TestData.Set(o, "pricing_tiers[2].price", price));

        Assert.Contains(result.Warnings, w => w.StartsWith("pricing_tiers tier 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_message_type_needs_five_headlines()
    {
        var result = Validate(o => TestData.Set(o, "marketing_messages[0].type", "curiosity"));

        Assert.Contains("marketing_messages must have 5 pain-based messages, got 4.", result.Errors);
        Assert.Contains("marketing_messages must have 5 curiosity messages, got 6.", result.Errors);
    }

    [Fact]
    public void A_short_headline_is_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "marketing_messages[3].headline", "Get promoted now"));

        Assert.Contains("marketing_messages headlines should be 10-15 words; word counts off: [3] 3.", result.Warnings);
    }

    [Fact]
    public void A_guarantee_outside_50_to_100_words_is_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "guarantee.guarantee_text", "Results in 90 days or your money back."));

        Assert.Contains("guarantee.guarantee_text should be 50-100 words, got 8.", result.Warnings);
    }

    [Fact]
    public void The_prompt_reads_the_avatar_and_the_nested_research()
    {
        var prompt = Stage.BuildPrompt(Input, new PromptOptions(SchemaInPrompt: false, FullResearchData: false));

        Assert.Contains("Maya Chen", prompt.User);
        Assert.Contains("medium: High income but she pays herself", prompt.User);
        Assert.Contains("Tuesday, Sunday", prompt.User);
        Assert.Contains("7-8 am PT, 9-10 pm PT", prompt.User);
        Assert.Contains("$48,000", prompt.User);
        Assert.Contains("I want my title to match the work I already do.", prompt.User);
        Assert.DoesNotContain("N/A", prompt.User);
    }

    [Fact]
    public void Without_a_desired_price_the_plans_follow_the_models_own_tier_2_price()
    {
        var input = new StageInput(TestData.Profile with { DesiredPricePoint = "premium" }, null, ResearchSamples.Outputs(4));
        var json = TestData.Mutate(ResearchSamples.OfferDesign, o => TestData.Set(o, "payment_plans[1].total_cost", 27600));

        var result = Stage.Validate(json, input);

        Assert.Contains("payment_plans[1] must have structure \"3 monthly payments of $9,167\" and total_cost 27501, computed from tier 2's price $25,000; got \"3 monthly payments of $9,167\" and 27600. [tiers.plans-from-signature-price]", result.Errors);
        Assert.True(Stage.Validate(ResearchSamples.OfferDesign, input).IsValid);
    }

    [Fact]
    public void A_wrong_number_of_tiers_is_reported_once()
    {
        var result = Validate(o => TestData.Resize(o, "pricing_tiers", 2));

        Assert.Equal(["pricing_tiers must have exactly 3 items, got 2."], result.Errors);
    }

    [Fact]
    public void A_wrong_number_of_messages_is_reported_once()
    {
        var result = Validate(o => TestData.Resize(o, "marketing_messages", 14));

        Assert.Equal(["marketing_messages must have exactly 15 items, got 14."], result.Errors);
    }

    [Theory]
    [InlineData(-5000)]
    [InlineData(0)]
    public void A_non_positive_price_is_one_range_error_and_no_crash(int price)
    {
        var result = Validate(o =>
        {
            TestData.Set(o, "pricing_tiers[0].price", price);
            TestData.Set(o, "pricing_tiers[1].price", 0);
        });

        Assert.Contains(result.Errors, e => e.StartsWith("pricing_tiers[1].price must be between 1 and", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.StartsWith("pricing_tiers prices", StringComparison.Ordinal));
    }
}
