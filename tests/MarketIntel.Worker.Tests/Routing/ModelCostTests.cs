using MarketIntel.Pipeline.Models;

namespace MarketIntel.Worker.Tests.Routing;

/// <summary>Cost of a call from the catalogue's prices per million tokens, in exact decimal arithmetic.</summary>
public sealed class ModelCostTests
{
    private static readonly ModelSpec Llama = new()
    {
        Id = "@cf/meta/llama-3.1-70b-instruct",
        Provider = "workers-ai",
        ContextWindow = 24_000,
        MaxOutputTokens = 12_000,
        InputPricePerMillion = 0.293m,
        OutputPricePerMillion = 2.253m,
    };

    [Theory]
    [InlineData(0, 0, "0")]
    [InlineData(1_000_000, 0, "0.293")]
    [InlineData(0, 1_000_000, "2.253")]
    [InlineData(1_000_000, 1_000_000, "2.546")]
    [InlineData(1_500, 500, "0.001566")]
    [InlineData(12_000, 4_500, "0.0136545")]
    public void Cost_is_input_and_output_tokens_at_their_prices_per_million(long input, long output, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Llama.Cost(input, output));
    }

    [Fact]
    public void Cost_adds_up_over_calls()
    {
        var total = Llama.Cost(1_000, 2_000) + Llama.Cost(3_000, 4_000);

        Assert.Equal(Llama.Cost(4_000, 6_000), total);
    }

    [Fact]
    public void A_cheaper_output_price_makes_long_outputs_cheaper()
    {
        var mistral = Llama with { Id = "@cf/mistralai/mistral-small-3.1-24b-instruct", InputPricePerMillion = 0.351m, OutputPricePerMillion = 0.555m };

        Assert.Equal(0.0042705m, mistral.Cost(6_000, 3_900));
        Assert.True(mistral.Cost(6_000, 3_900) < Llama.Cost(6_000, 3_900));
    }
}
