using System.Text.RegularExpressions;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.PaymentPlans;

/// <summary>Stage 10 — Payment Plans: pay-in-full plus instalment options, exactly one recommended.</summary>
public sealed partial class PaymentPlansStage : JsonStage<PaymentPlans>
{
    public override int Number => 10;
    public override string Name => "Payment Plans";
    public override StageType Type => StageType.Strategic;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5];
    public override int DefaultMaxTokens => 2000;
    public override string PromptVersion => "1.0";

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
            .Line("Design two or three payment plans for the offer.")
            .Bullets(
            [
                "Plan 1 is pay-in-full and the cheapest in total: reward it with a 5-10% discount or a bonus worth $500-$1,000.",
                "Plan 2 splits the price into 2-4 instalments and costs 10-15% more in total.",
                "Plan 3 is optional: an extended or VIP plan costing 20-30% more, with extra benefits that justify it.",
                "Base the totals on a price inside the comfortable range; give each total_price as the full amount paid over the plan.",
                "If payment flexibility is among the components to emphasise, make the instalment plans especially clear and easy.",
                "Address the buyer's budget objection and income level from the research.",
                "No decoy plans and no invented deadlines.",
                "Set is_recommended to true on exactly one plan and explain that choice in 2-3 sentences.",
            ]);
    }

    [GeneratedRegex(@"\b(?:pay(?:ment)?[- ]in[- ]full|paid[- ]in[- ]full|full payment|single payment|one[- ]time payment|one payment|upfront)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PayInFull();

    protected override void ValidateContent(PaymentPlans output, StageInput input, ValidationBuilder result)
    {
        var plans = output.Plans;
        var recommended = plans.Count(p => p.IsRecommended);
        if (recommended != 1)
        {
            result.Error($"payment_plans must have exactly one plan with is_recommended true, got {recommended}.");
        }

        var full = plans.FirstOrDefault(p => PayInFull().IsMatch($"{p.PlanName} {p.PaymentStructure}"));
        if (full is null)
        {
            result.Warning("No plan reads as pay-in-full (plan_name or payment_structure should say so).");
            return;
        }
        var cheaper = plans.Where(p => !ReferenceEquals(p, full) && p.TotalPrice > 0 && p.TotalPrice < full.TotalPrice).ToList();
        if (cheaper.Count > 0)
        {
            result.Warning($"Pay-in-full ({OfferStages.Money(full.TotalPrice)}) should be the cheapest plan, but '{FieldRules.Truncate(cheaper[0].PlanName)}' costs {OfferStages.Money(cheaper[0].TotalPrice)}.");
        }
    }
}
