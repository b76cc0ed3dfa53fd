using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.ScarcityUpsells;

/// <summary>Stage 13 — Scarcity &amp; Upsells: three order bumps, two one-time offers and honest scarcity.</summary>
public sealed class ScarcityUpsellsStage : JsonStage<ScarcityUpsells>
{
    public override int Number => 13;
    public override string Name => "Scarcity & Upsells";
    public override StageType Type => StageType.Creative;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5, 9, 11];
    public override int DefaultMaxTokens => 3000;
    public override string PromptVersion => "1.1";
    public override ScoreWeights Weights => new(7, 3);

    protected override string Persona =>
        "You are a checkout and funnel strategist who raises revenue per buyer with useful add-ons and scarcity that is true.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var prefs = input.RequirePreferences();
        prompt.Heading("Business context")
            .Data("business_context",
            [
                ("Business name", p.BusinessName),
                ("Service type", p.ServiceType),
                ("Unique mechanism", p.UniqueMechanism),
            ]);
        // The original gave this stage no preferences; priorities and price range shape what add-ons make sense.
        prompt.Heading("Offer preferences")
            .Data("offer_preferences",
            [
                ("Strategic priorities", OfferStages.Words(prefs.StrategicPriorities)),
                ("Pricing strategy", prefs.PricingStrategy),
                ("Comfortable price range of the core offer", OfferStages.Range(prefs.ComfortablePriceRange)),
                ("Components to emphasise", OfferStages.Words(prefs.EmphasizeComponents)),
            ]);

        OfferStages.Research(prompt, input, options);

        prompt.Heading("Your task")
            .Line("Design the add-ons around the core offer and the scarcity that is honestly available.")
            .Bullets(
            [
                "Exactly three order bumps shown at checkout: a quick-start kit, a premium upgrade and a complementary tool; each priced $27-$47 with a perceived value of $100-$200.",
                "Exactly two one-time offers after purchase: upsell 1 is tactical, upsell 2 is strategic, each at the price fixed below and worth 3-5 times it.",
                "Perceived value is always above the price. All prices and values are plain numbers.",
                "Use the buyer's own language from the research in the names and hooks.",
                "Scarcity must be real: a cohort or seat limit, a 48-72 hour bonus window, optionally an early-bird price, and genuine social proof; 2-3 sentences each.",
                "Summarise in 3-4 sentences how these raise revenue per buyer.",
            ]);
    }

    /// <summary>Prices and totals are consistency rules (add-ons.*); what stays here is each item against itself.</summary>
    protected override void ValidateContent(ScarcityUpsells output, StageInput input, ValidationBuilder result)
    {
        for (var i = 0; i < output.OrderBumps.Count; i++)
        {
            ValueAbovePrice(result, $"order_bumps[{i}]", output.OrderBumps[i].Price, output.OrderBumps[i].PerceivedValue);
        }
        for (var i = 0; i < output.Upsells.Count; i++)
        {
            ValueAbovePrice(result, $"upsells[{i}]", output.Upsells[i].Price, output.Upsells[i].PerceivedValue);
        }
    }

    private static void ValueAbovePrice(ValidationBuilder result, string path, decimal price, decimal perceived)
    {
        if (price > 0 && perceived > 0 && perceived <= price)
        {
            result.Error($"{path}.perceived_value {OfferStages.Money(perceived)} must be above its price {OfferStages.Money(price)}.");
        }
    }
}
