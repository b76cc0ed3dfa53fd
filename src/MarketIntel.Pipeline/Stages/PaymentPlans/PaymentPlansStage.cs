using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.PaymentPlans;

/// <summary>Stage 10 — Payment Plans: pay-in-full and two instalment plans computed from the offer price, exactly one recommended.</summary>
public sealed class PaymentPlansStage : JsonStage<PaymentPlans>
{
    public override int Number => 10;
    public override string Name => "Payment Plans";
    public override StageType Type => StageType.Strategic;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5, 9];
    public override int DefaultMaxTokens => 2000;
    public override string PromptVersion => "1.1";

    protected override string Persona =>
        "You are a conversion strategist who designs fair payment plans that make a premium price affordable without pressure tactics.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var prefs = input.RequirePreferences();
        prompt.Heading("Business context")
            .Data("business_context",
            [
                ("Business name", p.BusinessName),
                ("Offer duration", p.OfferDuration),
            ]);
        // The original gave this stage no preferences at all; the price range and strategy decide what a plan can cost.
        prompt.Heading("Offer preferences")
            .Data("offer_preferences",
            [
                ("Pricing strategy", prefs.PricingStrategy),
                ("Comfortable price range", OfferStages.Range(prefs.ComfortablePriceRange)),
                ("Components to emphasise", OfferStages.Words(prefs.EmphasizeComponents)),
            ]);

        OfferStages.Research(prompt, input, options);

        prompt.Heading("Your task")
            .Line("Present the three payment plans of the offer. Their amounts are computed from the offer price (see the fixed values below); you write everything around them.")
            .Bullets(
            [
                "Plan 1 is pay-in-full, the cheapest in total: reward it with a bonus worth $500-$1,000 or extra access, not with a discount.",
                "Plan 2 spreads the cost over 3 months; plan 3 is an extended plan over 6 months with extra benefits that justify its higher total.",
                "If payment flexibility is among the components to emphasise, make the instalment plans especially clear and easy.",
                "Address the buyer's budget objection and income level from the research.",
                "No decoy plans and no invented deadlines.",
                "Set is_recommended to true on exactly one plan and explain that choice in 2-3 sentences.",
            ]);
    }

    /// <summary>Amounts and order are consistency rules (plans.*): code computes them from the offer price.</summary>
    protected override void ValidateContent(PaymentPlans output, StageInput input, ValidationBuilder result)
    {
        var recommended = output.Plans.Count(p => p.IsRecommended);
        if (recommended != 1)
        {
            result.Error($"payment_plans must have exactly one plan with is_recommended true, got {recommended}.");
        }
    }
}
