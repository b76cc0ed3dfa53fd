using System.Globalization;
using System.Text.RegularExpressions;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.PricingFramework;

/// <summary>Stage 9 — Pricing Framework: the price, its justification and presentation. Runs after stage 8 because the
/// value-to-price ratio needs the value stack's total, which the original asked for but never passed.</summary>
public sealed partial class PricingFrameworkStage : JsonStage<PricingFramework>
{
    /// <summary>How far the stated ratio may drift from the one the value stack and the price imply.</summary>
    private const decimal RatioTolerance = 0.25m;

    public override int Number => 9;
    public override string Name => "Pricing Framework";
    public override StageType Type => StageType.Analytical;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5, 8];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.0";

    protected override string Persona =>
        "You are a pricing strategist for premium expert services who sets prices from value, lifetime value and buyer psychology.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var prefs = input.RequirePreferences();
        var stack = input.Get<ValueStack.ValueStack>(8);
        prompt.Heading("Business context")
            .Data("business_context",
            [
                ("Business name", p.BusinessName),
                ("Current price", p.PricePointCurrent),
                ("Desired price", p.DesiredPricePoint),
                ("Offer duration", p.OfferDuration),
            ]);
        prompt.Heading("Offer preferences")
            .Data("offer_preferences",
            [
                ("Pricing strategy", prefs.PricingStrategy),
                ("Comfortable price range", OfferStages.Range(prefs.ComfortablePriceRange)),
                ("Primary transformation", prefs.PrimaryTransformation),
            ]);
        prompt.Heading("Value stack (stage 8)")
            .Line($"Total perceived value of the offer's components: {OfferStages.Money(stack.TotalPerceivedValue)}.");

        OfferStages.Research(prompt, input, options);

        prompt.Heading("Your task")
            .Line("Set one price for the offer and explain how to present it.")
            .Bullets(
            [
                $"recommended_price must lie between {OfferStages.Money(prefs.ComfortablePriceRange.Min)} and {OfferStages.Money(prefs.ComfortablePriceRange.Max)} inclusive.",
                "Follow the pricing strategy: value-based prices from the outcome, premium-positioning sits above the market, market-competitive sits near the competitors.",
                "Aim for a value-to-price ratio between 5:1 and 10:1, and a price that is a small share of the Power 4% lifetime value from the research.",
                $"value_to_price_ratio is the value stack total ({OfferStages.Money(stack.TotalPerceivedValue)}) divided by your price, rounded, written as N:1.",
                "Justify the price in 3-4 sentences from lifetime value, the value stack, the strategy and the buyer's price sensitivity.",
                "Anchor it against exactly three reference points (e.g. the cost of the problem, alternatives, competitors' prices).",
                "Give a primary way to pay and exactly two alternatives.",
                "Name the buyer's top price objection and how the offer answers it.",
                "Place the price against the competitors in 2 sentences.",
            ]);
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*:\s*1\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Ratio();

    protected override void ValidateContent(PricingFramework output, StageInput input, ValidationBuilder result)
    {
        var range = input.RequirePreferences().ComfortablePriceRange;
        var price = output.RecommendedPrice;
        if (price < range.Min || price > range.Max)
        {
            result.Error($"recommended_price {OfferStages.Money(price)} is outside the comfortable range {OfferStages.Range(range)}.");
        }

        if (string.IsNullOrWhiteSpace(output.ValueToPriceRatio))
        {
            return;
        }
        var match = Ratio().Match(output.ValueToPriceRatio);
        if (!match.Success)
        {
            result.Error($"value_to_price_ratio must read N:1, e.g. \"8:1\", got '{FieldRules.Truncate(output.ValueToPriceRatio)}'.");
            return;
        }
        var stated = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var total = input.Get<ValueStack.ValueStack>(8).TotalPerceivedValue;
        if (price <= 0 || total <= 0)
        {
            return;
        }
        var implied = total / price;
        if (Math.Abs(stated - implied) > implied * RatioTolerance)
        {
            result.Warning($"value_to_price_ratio {output.ValueToPriceRatio.Trim()} does not match the value stack: {OfferStages.Money(total)} / {OfferStages.Money(price)} is about {implied.ToString("0.#", CultureInfo.InvariantCulture)}:1.");
        }
    }
}
