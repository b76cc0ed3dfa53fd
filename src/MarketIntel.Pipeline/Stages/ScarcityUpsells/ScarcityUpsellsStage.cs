using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.ScarcityUpsells;

/// <summary>Stage 13 — Scarcity &amp; Upsells: three order bumps, two one-time offers and honest scarcity.</summary>
public sealed class ScarcityUpsellsStage : JsonStage<ScarcityUpsells>
{
    // The first upsell is a small tactical step, the second a strategic one (DOMAIN §2.16); the schema allows 97-997 for both.
    private static readonly (decimal Min, decimal Max)[] UpsellBands = [(97, 297), (497, 997)];

    public override int Number => 13;
    public override string Name => "Scarcity & Upsells";
    public override StageType Type => StageType.Creative;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5];
    public override int DefaultMaxTokens => 3000;
    public override string PromptVersion => "1.0";
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
                "Exactly two one-time offers after purchase: upsell 1 is tactical and priced $97-$297; upsell 2 is strategic and priced $497-$997; each worth 3-5 times its price.",
                "Perceived value is always above the price. All prices and values are plain numbers.",
                "Use the buyer's own language from the research in the names and hooks.",
                "Scarcity must be real: a cohort or seat limit, a 48-72 hour bonus window, optionally an early-bird price, and genuine social proof; 2-3 sentences each.",
                "total_order_bump_revenue_potential is the sum of the three bump prices; total_upsell_revenue_potential is the sum of the two upsell prices.",
                "Summarise in 3-4 sentences how these raise revenue per buyer.",
            ]);
    }

    protected override void ValidateContent(ScarcityUpsells output, StageInput input, ValidationBuilder result)
    {
        CheckOrderBumps(output, result);
        CheckUpsells(output, result);
    }

    private static void CheckOrderBumps(ScarcityUpsells output, ValidationBuilder result)
    {
        var bumps = output.OrderBumps;
        var sum = bumps.Sum(b => b.Price);
        if (!OfferStages.SameDollars(sum, output.TotalOrderBumpRevenuePotential))
        {
            result.Error($"total_order_bump_revenue_potential is {OfferStages.Money(output.TotalOrderBumpRevenuePotential)} but the bump prices add up to {OfferStages.Money(sum)}.");
        }
        for (var i = 0; i < bumps.Count; i++)
        {
            ValueAbovePrice(result, $"order_bumps[{i}]", bumps[i].Price, bumps[i].PerceivedValue);
        }
    }

    private static void CheckUpsells(ScarcityUpsells output, ValidationBuilder result)
    {
        var upsells = output.Upsells;
        var sum = upsells.Sum(u => u.Price);
        if (!OfferStages.SameDollars(sum, output.TotalUpsellRevenuePotential))
        {
            result.Error($"total_upsell_revenue_potential is {OfferStages.Money(output.TotalUpsellRevenuePotential)} but the upsell prices add up to {OfferStages.Money(sum)}.");
        }
        for (var i = 0; i < upsells.Count; i++)
        {
            var price = upsells[i].Price;
            if (i < UpsellBands.Length && price is > 0 && (price < UpsellBands[i].Min || price > UpsellBands[i].Max))
            {
                result.Error($"upsells[{i}].price {OfferStages.Money(price)} must be {OfferStages.Money(UpsellBands[i].Min)}-{OfferStages.Money(UpsellBands[i].Max)} for upsell {i + 1}.");
            }
            ValueAbovePrice(result, $"upsells[{i}]", price, upsells[i].PerceivedValue);
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
