using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.OfferRationale;

/// <summary>Stage 7 — Offer Rationale: three positionings (promise, mechanism, proof, differentiation) and a pick.</summary>
public sealed class OfferRationaleStage : JsonStage<OfferRationale>
{
    public override int Number => 7;
    public override string Name => "Offer Rationale";
    public override StageType Type => StageType.Strategic;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.0";

    protected override string Persona =>
        "You are an offer strategist who positions premium coaching and consulting programmes so the right buyer recognises them at once.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var prefs = input.RequirePreferences();
        prompt.Heading("Business context")
            .Data("business_context",
            [
                ("Business name", p.BusinessName),
                ("Current offer", p.CurrentOfferDescription),
                ("Service type", p.ServiceType),
                ("Delivery format", p.DeliveryFormat),
                ("Current price", p.PricePointCurrent),
                ("Offer duration", p.OfferDuration),
                ("Unique mechanism", p.UniqueMechanism),
            ]);
        prompt.Heading("Offer preferences")
            .Data("offer_preferences",
            [
                ("Strategic priorities", OfferStages.Words(prefs.StrategicPriorities)),
                ("Primary transformation", prefs.PrimaryTransformation),
                ("Proof assets available", OfferStages.Words(prefs.ProofAssetsAvailable.Available())),
                ("Voice tone", prefs.VoicePreferences?.Tone),
                ("Words to avoid", prefs.VoicePreferences?.AvoidWords),
                ("Concepts to include", prefs.VoicePreferences?.MustIncludeConcepts),
            ]);

        OfferStages.Research(prompt, input, options);

        prompt.Heading("Your task")
            .Line("Write three positionings of this offer, each from a clearly different angle, then choose the one to lead with.")
            .Bullets(
            [
                "Big promise: the outcome in the words buyers use in the research, not marketing jargon.",
                "Mechanism: name the business's own method (sharpen the name if it helps) and explain in 2-3 sentences why it works where the buyer's biggest fear says other things failed.",
                "Who it is for: the Power 4% buyer from the research, concretely.",
                "Why now: what it costs the buyer to wait.",
                "Proof: how to use only the proof assets listed above; do not claim proof the business does not have.",
                "Differentiation: exactly three points, each aimed at a gap the competitors leave open.",
                "Strategic angle: which of the user's priorities the positioning serves and how.",
                "Recommend one option by its number (1-3) and say in 2-3 sentences why it suits this business best.",
                "Respect the voice preferences where given.",
            ]);
    }

    protected override void ValidateContent(OfferRationale output, StageInput input, ValidationBuilder result)
    {
        var options = output.Options;
        if (output.RecommendedOption > options.Count)
        {
            result.Error($"recommended_option is {output.RecommendedOption} but there are only {options.Count} options.");
        }
        // Three options with the same mechanism are one option written three times.
        var names = options.Select(o => o.UniqueMechanismName.Trim()).Where(n => !string.IsNullOrEmpty(n)).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
        {
            result.Warning("options repeat a unique_mechanism_name; each option should take its own angle.");
        }
    }
}
