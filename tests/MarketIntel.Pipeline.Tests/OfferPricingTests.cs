using MarketIntel.Pipeline.Consistency;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Stages.OfferDesign;

namespace MarketIntel.Pipeline.Tests;

public class OfferPricingTests
{
    private static OfferDesign Tiers(decimal gateway, decimal signature, decimal premium, int recommended = 2) => new()
    {
        PricingTiers =
        [
            new PricingTier { TierNumber = 1, TierName = "Gateway", Price = gateway, IsRecommended = recommended == 1 },
            new PricingTier { TierNumber = 2, TierName = "Signature", Price = signature, IsRecommended = recommended == 2 },
            new PricingTier { TierNumber = 3, TierName = "Premium", Price = premium, IsRecommended = recommended == 3 },
        ],
    };

    private static PriceRange Range(long min, long max) => new() { Min = min, Max = max };

    [Theory]
    [InlineData(5_000, 25_000)]
    [InlineData(5_997, 5_997)]
    [InlineData(5_997, 9_000)]
    public void The_recommended_tier_inside_the_range_is_the_price_bounds_included(long min, long max)
    {
        var choice = OfferPricing.ChoosePrice(Tiers(2_697, 5_997, 10_500), Range(min, max));

        Assert.Equal(5_997, choice.Price);
        Assert.Equal("the price of stage 5's recommended tier \"Signature\"", choice.Source);
    }

    [Fact]
    public void The_flag_decides_which_tier_is_recommended() =>
        Assert.Equal(10_500, OfferPricing.ChoosePrice(Tiers(2_697, 5_997, 10_500, recommended: 3), Range(1_000, 20_000)).Price);

    [Fact]
    public void Outside_the_range_the_in_range_tier_nearest_the_recommended_one_is_the_price()
    {
        var choice = OfferPricing.ChoosePrice(Tiers(2_697, 5_997, 10_500), Range(6_000, 12_000));

        Assert.Equal(10_500, choice.Price);
        Assert.Contains("\"Premium\", the tier nearest the recommended one inside the comfortable range $6,000 - $12,000", choice.Source);
    }

    [Theory]
    [InlineData(1_000, 2_000, 2_000)]
    [InlineData(12_000, 20_000, 12_000)]
    public void With_no_tier_in_range_the_range_end_nearest_the_recommended_tier_is_the_price(long min, long max, decimal expected)
    {
        var choice = OfferPricing.ChoosePrice(Tiers(2_697, 5_997, 10_500), Range(min, max));

        Assert.Equal(expected, choice.Price);
        Assert.EndsWith("since no tier lies inside the range", choice.Source);
    }

    [Fact]
    public void The_plans_are_the_price_then_3_payments_plus_10_percent_and_6_payments_plus_20_percent_rounded_up()
    {
        var plans = OfferPricing.Plans(5_997);

        Assert.Equal(["One payment of $5,997", "3 monthly payments of $2,199", "6 monthly payments of $1,200"], plans.Select(p => p.Structure));
        Assert.Equal([5_997m, 6_597m, 7_200m], plans.Select(p => p.Total));
    }

    [Theory]
    [InlineData(25_000, 297, 997)]
    [InlineData(5_997, 177, 597)]
    [InlineData(1_500, 97, 497)]
    public void Upsells_are_a_share_of_the_core_price_ending_in_7_within_their_bands(decimal core, decimal tactical, decimal strategic) =>
        Assert.Equal([tactical, strategic], OfferPricing.UpsellPrices(core));

    [Theory]
    [InlineData(60_000, 25_000, "2.4:1")]
    [InlineData(60_000, 10_000, "6:1")]
    [InlineData(47_985, 5_997, "8:1")]
    public void The_ratio_is_value_over_price_with_one_decimal(decimal value, decimal price, string expected) =>
        Assert.Equal(expected, OfferPricing.ValueToPriceRatio(value, price));

    [Theory]
    [InlineData("$25,000 for 6 months", 25_000)]
    [InlineData("$5k", 5_000)]
    public void The_desired_price_is_the_first_amount_of_the_profile_field(string text, decimal expected) =>
        Assert.Equal(expected, OfferPricing.DesiredPrice(TestData.Profile with { DesiredPricePoint = text }));

    [Fact]
    public void A_desired_price_without_an_amount_fixes_nothing() =>
        Assert.Null(OfferPricing.DesiredPrice(TestData.Profile with { DesiredPricePoint = "premium" }));
}
