using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Stages.PricingFramework;

/// <summary>Stage 9 — Pricing Framework: the justification and presentation of a price code chooses from stage 5's tiers
/// (rule pricing.price-from-tier). Runs after stage 8 because the value-to-price ratio needs the value stack's total,
/// which the original asked for but never passed.</summary>
public sealed class PricingFrameworkStage : JsonStage<PricingFramework>
{
    public override int Number => 9;
    public override string Name => "Pricing Framework";
    public override StageType Type => StageType.Analytical;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5, 8];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.1";

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
            .Line("The offer's price is already set from the research's pricing tiers (see the fixed values below); explain it and how to present it.")
            .Bullets(
            [
                "Justify the price in 3-4 sentences from lifetime value, the value stack, the pricing strategy and the buyer's price sensitivity.",
                "Anchor it against exactly three reference points (e.g. the cost of the problem, alternatives, competitors' prices).",
                "Give a primary way to pay and exactly two alternatives.",
                "Name the buyer's top price objection and how the offer answers it.",
                "Place the price against the competitors in 2 sentences.",
            ]);
    }
}
