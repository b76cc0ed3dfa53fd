using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.PowerGuarantee;

/// <summary>Stage 12 — Power Guarantee: a low-, a moderate- and a high-risk guarantee; the user's tolerance picks one.</summary>
public sealed class PowerGuaranteeStage : JsonStage<PowerGuarantee>
{
    /// <summary>The risk level a guarantee should carry for each tolerance the user can choose (docs/domain.md §1.5, §2.15).</summary>
    private static readonly IReadOnlyDictionary<string, string> RiskFor = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["conservative"] = "low",
        ["moderate"] = "moderate",
        ["aggressive"] = "high",
    };

    public override int Number => 12;
    public override string Name => "Power Guarantee";
    public override StageType Type => StageType.Strategic;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4, 5];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.0";

    protected override string Persona =>
        "You are a risk-reversal specialist who writes guarantees that remove the buyer's biggest fear while staying fair to the business.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var prefs = input.RequirePreferences();
        prompt.Heading("Business context")
            .Data("business_context",
            [
                ("Business name", p.BusinessName),
                ("Service type", p.ServiceType),
                ("Offer duration", p.OfferDuration),
            ]);
        prompt.Heading("Offer preferences")
            .Data("offer_preferences",
            [
                ("Guarantee risk tolerance", prefs.GuaranteeRiskTolerance),
                ("Primary transformation", prefs.PrimaryTransformation),
                ("Components to emphasise", OfferStages.Words(prefs.EmphasizeComponents)),
            ]);

        var target = RiskFor.GetValueOrDefault(prefs.GuaranteeRiskTolerance, "moderate");
        OfferStages.Research(prompt, input, options);

        prompt.Heading("Your task")
            .Line("Write three guarantees, each aimed at the buyer's top fear from the research, in this order:")
            .Bullets(
            [
                "Option 1, risk_level low: a money-back guarantee for 30-60 days that asks for proof the buyer did the work.",
                "Option 2, risk_level moderate: a performance or milestone guarantee over 60-90 days.",
                "Option 3, risk_level high: a bold guarantee over 90-180 days or tied to the outcome, worth more than a refund.",
            ])
            .Line($"Recommend the option whose risk level is {target}, matching the user's {prefs.GuaranteeRiskTolerance} tolerance, unless the research gives a strong reason not to; explain in 2-3 sentences.")
            .Bullets(
            [
                "Every guarantee must be workable for this service type and fit inside the offer duration.",
                "State clearly what is covered, what the buyer must do to claim it, and what they get back.",
                "Explain how each one changes what the buyer feels about the purchase.",
            ]);
    }

    protected override void ValidateContent(PowerGuarantee output, StageInput input, ValidationBuilder result)
    {
        var guarantees = output.GuaranteeOptions;
        var levels = guarantees.Select(g => g.RiskLevel).Where(l => !string.IsNullOrEmpty(l)).ToList();
        if (levels.Distinct(StringComparer.Ordinal).Count() != levels.Count)
        {
            result.Error($"guarantee_options must each have a different risk_level, got {string.Join(", ", levels)}.");
        }

        if (output.RecommendedGuarantee > guarantees.Count)
        {
            result.Error($"recommended_guarantee is {output.RecommendedGuarantee} but there are only {guarantees.Count} options.");
            return;
        }
        if (output.RecommendedGuarantee < 1)
        {
            return; // the schema's range check has reported it
        }
        var tolerance = input.RequirePreferences().GuaranteeRiskTolerance;
        var chosen = guarantees[output.RecommendedGuarantee - 1].RiskLevel;
        if (RiskFor.TryGetValue(tolerance, out var expected) && !string.IsNullOrEmpty(chosen) && chosen != expected)
        {
            result.Warning($"The recommended guarantee is {chosen} risk, but the {tolerance} risk tolerance calls for {expected}.");
        }
    }
}
