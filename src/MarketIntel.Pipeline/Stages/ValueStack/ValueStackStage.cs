using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.ValueStack;

/// <summary>Stage 8 — Value Stack: the components of the offer and their perceived values.</summary>
public sealed class ValueStackStage : JsonStage<ValueStack>
{
    /// <summary>Below this multiple of the lowest acceptable price, no price in the range can look like a bargain.</summary>
    private const decimal MinimumValueMultiple = 3;

    public override int Number => 8;
    public override string Name => "Value Stack";
    public override StageType Type => StageType.Strategic;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.1";

    protected override string Persona =>
        "You are an offer architect who turns an expert's know-how into a stack of concrete deliverables buyers can see and value.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var prefs = input.RequirePreferences();
        prompt.Heading("Business context")
            .Data("business_context",
            [
                ("Business name", p.BusinessName),
                ("Service type", p.ServiceType),
                ("Delivery format", p.DeliveryFormat),
                ("Offer duration", p.OfferDuration),
                ("Unique mechanism", p.UniqueMechanism),
            ]);
        prompt.Heading("Offer preferences")
            .Data("offer_preferences",
            [
                ("Primary transformation", prefs.PrimaryTransformation),
                ("Proprietary frameworks", prefs.ProprietaryFrameworks),
                ("Unique tools and resources", prefs.UniqueToolsResources),
                ("Exclusive access", prefs.ExclusiveAccess),
                ("Components to emphasise", OfferStages.Words(prefs.EmphasizeComponents)),
                ("Comfortable price range", OfferStages.Range(prefs.ComfortablePriceRange)),
            ]);

        OfferStages.Research(prompt, input, options);

        prompt.Heading("Your task")
            .Line("Design the value stack: 5 to 7 components that, together, take the buyer to the primary transformation.")
            .Bullets(
            [
                "Build the components from the user's own frameworks, tools and exclusive access; add others only where a step is missing.",
                "Each component serves one of the buyer's top two desires from the research; name that desire.",
                "Every component must be deliverable in the stated delivery format and within the offer duration.",
                "Give each a perceived value in dollars that a buyer would find credible for that piece alone.",
                "Aim for a total perceived value of 3 to 5 times a price inside the comfortable range.",
                "Summarise in 2-3 sentences what the whole stack means for the buyer.",
            ]);
    }

    protected override void ValidateContent(ValueStack output, StageInput input, ValidationBuilder result)
    {
        var floor = input.RequirePreferences().ComfortablePriceRange.Min * MinimumValueMultiple;
        if (output.TotalPerceivedValue < floor)
        {
            result.Warning($"total_perceived_value {OfferStages.Money(output.TotalPerceivedValue)} is below {MinimumValueMultiple}x the lowest acceptable price ({OfferStages.Money(floor)}).");
        }
    }
}
