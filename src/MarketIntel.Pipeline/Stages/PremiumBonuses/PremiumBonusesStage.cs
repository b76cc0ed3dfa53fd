using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.PremiumBonuses;

/// <summary>Stage 11 — Premium Bonuses: 3-5 fast bonuses aimed at the buyer's top desires.</summary>
public sealed class PremiumBonusesStage : JsonStage<PremiumBonuses>
{
    private const decimal MinTotal = 500;
    private const decimal MaxTotal = 3000;

    public override int Number => 11;
    public override string Name => "Premium Bonuses";
    public override StageType Type => StageType.Creative;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.1";

    protected override string Persona =>
        "You are a direct-response offer designer who creates bonuses that give buyers an early win and remove their last reasons to hesitate.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var prefs = input.RequirePreferences();
        prompt.Heading("Business context")
            .Data("business_context",
            [
                ("Business name", p.BusinessName),
                ("Unique mechanism", p.UniqueMechanism),
            ]);
        prompt.Heading("Offer preferences")
            .Data("offer_preferences",
            [
                ("Proprietary frameworks", prefs.ProprietaryFrameworks),
                ("Unique tools and resources", prefs.UniqueToolsResources),
                ("Exclusive access", prefs.ExclusiveAccess),
                ("Components to emphasise", OfferStages.Words(prefs.EmphasizeComponents)),
            ]);

        OfferStages.Research(prompt, input, options);

        prompt.Heading("Your task")
            .Line("Create 3 to 5 bonuses that make saying yes today easy.")
            .Bullets(
            [
                "Each bonus targets one of the buyer's top two desires or removes a pain from the research; say which.",
                "Cover different purposes: a first win within 7 days, removing an obstacle, speeding up results, a premium touch, community.",
                "Deliver them fast: instantly, on day 1 or within week 1.",
                "Build on the user's frameworks, tools and exclusive access where they fit.",
                "Give each a credible perceived value between $100 and $2,000; the total should land between $500 and $3,000.",
                "Summarise in 2-3 sentences how the bonuses work together.",
            ]);
    }

    protected override void ValidateContent(PremiumBonuses output, StageInput input, ValidationBuilder result)
    {
        if (output.TotalBonusValue is < MinTotal or > MaxTotal)
        {
            result.Warning($"total_bonus_value {OfferStages.Money(output.TotalBonusValue)} is outside the credible {OfferStages.Money(MinTotal)}-{OfferStages.Money(MaxTotal)}.");
        }
    }
}
