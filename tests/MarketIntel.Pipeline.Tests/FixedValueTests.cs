using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Tests;

public class FixedValueTests
{
    private static readonly FixedValue Price = FixedValue.Number("payment_plans[0].total_price", 5997, "the offer price fixed by stage 9");

    [Fact]
    public void The_block_has_the_agreed_heading_and_one_path_line_per_value()
    {
        var prompt = new PromptWriter()
            .FixedValues([Price, FixedValue.Text("tiers[1].name", "Growth $5,997", "the tier")])
            .ToString();

        Assert.Equal(
            "## Fixed values (use exactly as given)\n- payment_plans[0].total_price: 5997\n- tiers[1].name: \"Growth $5,997\"\n",
            prompt.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_number_is_written_without_trailing_zeros() =>
        Assert.Equal("25000", FixedValue.Number("price", 25000.00m, "the tier").Json);

    [Fact]
    public void No_values_write_no_block() =>
        Assert.Equal("", new PromptWriter().FixedValues([]).ToString());

    [Theory]
    [InlineData("""{"payment_plans":[{"total_price":5997}]}""")]
    [InlineData("""{"payment_plans":[{"total_price":5997.0}]}""")]
    public void An_answer_carrying_the_value_passes(string answer) =>
        Assert.Null(Price.Mismatch(JsonNode.Parse(answer)));

    [Fact]
    public void A_different_value_names_the_path_both_values_and_the_source() =>
        Assert.Equal("payment_plans[0].total_price is 14000; it must be 5997, the offer price fixed by stage 9.",
            Price.Mismatch(JsonNode.Parse("""{"payment_plans":[{"total_price":14000}]}""")));

    [Theory]
    [InlineData("""{"payment_plans":[]}""")]
    [InlineData("""{"plans":[{"total_price":5997}]}""")]
    public void A_missing_value_is_reported_as_missing(string answer) =>
        Assert.Equal("payment_plans[0].total_price is missing; it must be 5997, the offer price fixed by stage 9.",
            Price.Mismatch(JsonNode.Parse(answer)));

    [Fact]
    public void A_number_written_as_text_does_not_pass() =>
        Assert.NotNull(Price.Mismatch(JsonNode.Parse("""{"payment_plans":[{"total_price":"5997"}]}""")));

    [Fact]
    public void Text_compares_exactly_apart_from_surrounding_blanks()
    {
        var structure = FixedValue.Text("s", "3 monthly payments of $2,199", "computed");

        Assert.Null(structure.Mismatch(JsonNode.Parse("""{"s":" 3 monthly payments of $2,199 "}""")));
        Assert.NotNull(structure.Mismatch(JsonNode.Parse("""{"s":"3 payments of $2,199"}""")));
    }
}
