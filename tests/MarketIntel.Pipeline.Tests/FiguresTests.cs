using MarketIntel.Pipeline.Consistency;

namespace MarketIntel.Pipeline.Tests;

public class FiguresTests
{
    [Theory]
    [InlineData("$4.8 billion", 4_800_000_000)]
    [InlineData("about $480M in 2024", 480_000_000)]
    [InlineData("$5.3B", 5_300_000_000)]
    [InlineData("$310,000", 310_000)]
    [InlineData("$180k", 180_000)]
    [InlineData("$25,000 for 6 months", 25_000)]
    [InlineData("$5 monthly", 5)]
    public void A_dollar_amount_is_read_with_its_scale(string text, decimal expected) =>
        Assert.Equal(expected, Figures.FirstAmount(text));

    [Theory]
    [InlineData("very large")]
    [InlineData("4.8 billion")]
    [InlineData(null)]
    public void Text_without_a_dollar_amount_has_none(string? text) =>
        Assert.Null(Figures.FirstAmount(text));

    [Theory]
    [InlineData("Women 32-48, household income $180k-$350k", 180_000, 350_000)]
    [InlineData("earning $120,000 to $90,000", 90_000, 120_000)]
    public void An_income_range_is_read_lower_first(string text, decimal min, decimal max) =>
        Assert.Equal((min, max), Figures.AmountRangeIn(text));

    [Theory]
    [InlineData("11.2% annually (2024-2025)", 11.2)]
    [InlineData("-3% a year", -3)]
    public void A_percentage_is_read(string text, decimal expected) =>
        Assert.Equal(expected, Figures.PercentIn(text));

    [Theory]
    [InlineData("Women 32-48 in senior roles", 32, 48)]
    [InlineData("aged 35 to 50, $90-$120k", 35, 50)]
    [InlineData("Growth 2024-2025 among people 40–55", 40, 55)]
    public void An_age_range_is_found_beside_years_and_money(string text, int min, int max) =>
        Assert.Equal((min, max), Figures.AgeRangeIn(text));

    [Theory]
    [InlineData("Principal engineers at public tech companies")]
    [InlineData("Spending $50-$80 a month")]
    [InlineData("From 2024-2025")]
    [InlineData("Growth of 10-15%")]
    public void Text_without_an_age_range_has_none(string text) =>
        Assert.Null(Figures.AgeRangeIn(text));

    [Theory]
    [InlineData("38", 38, 38)]
    [InlineData("38 years old", 38, 38)]
    [InlineData("36-40", 36, 40)]
    public void An_avatar_age_is_one_age_or_a_narrow_range(string text, int min, int max) =>
        Assert.Equal((min, max), Figures.AgeOf(text));

    [Theory]
    [InlineData("3 monthly payments of $9,200", 27_600)]
    [InlineData("Three monthly instalments of $2,000", 6_000)]
    [InlineData("One payment of $22,500, saving 10%", 22_500)]
    [InlineData("$5,997 upfront", 5_997)]
    public void A_plan_structure_states_its_total(string structure, decimal total) =>
        Assert.Equal(total, Figures.PlanTotal(structure));

    [Theory]
    [InlineData("Pay $1,000 now and $2,000 later")]
    [InlineData("Flexible monthly plan")]
    public void A_plan_structure_without_one_reading_states_no_total(string structure) =>
        Assert.Null(Figures.PlanTotal(structure));

    [Theory]
    [InlineData(5_340_000_000, "$5.34 billion")]
    [InlineData(480_000_000, "$480 million")]
    [InlineData(25_000, "$25,000")]
    public void Money_is_written_as_people_read_it(decimal amount, string expected) =>
        Assert.Equal(expected, Figures.Money(amount));
}
