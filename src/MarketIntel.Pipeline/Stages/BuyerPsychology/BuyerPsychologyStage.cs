using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.BuyerPsychology;

/// <summary>Stage 2 — Buyer Psychology: buyer language, deep fears and desires, pain points, barriers, price justification.</summary>
public sealed class BuyerPsychologyStage : JsonStage<BuyerPsychology>
{
    public override int Number => 2;
    public override string Name => "Buyer Psychology";
    public override StageType Type => StageType.Analytical;
    public override IReadOnlyList<int> Reads => [1];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.0";
    public override ScoreWeights Weights => new(5, 2);

    protected override string Persona =>
        "You are a consumer psychologist who studies how buyers of coaching and expert services think, talk and decide.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var market = input.Get<MarketAnalysis.MarketAnalysis>(1);
        prompt.Heading("The business")
            .Data("business_profile",
            [
                ("Business name", p.BusinessName),
                ("Niche", p.Niche),
                ("Current offer", p.CurrentOfferDescription),
                ("Target market hypothesis", p.TargetMarketHypothesis),
                ("Target demographics", p.TargetDemographics),
                ("Target psychographics", p.TargetPsychographics),
                ("Biggest customer pain point", p.BiggestCustomerPainPoint),
                ("Unique mechanism", p.UniqueMechanism),
            ]);
        prompt.Heading("From the market analysis")
            .Data("market_analysis",
            [
                ("Bleeding-neck problem", market.BleedingNeckProblem),
                ("Power 4% demographics", market.Power4Percent.Demographics),
                ("Power 4% psychographics", market.Power4Percent.Psychographics),
            ]);

        prompt.Heading("Your task")
            .Line("Get inside the head of the Power 4% buyer. Draw on how such people write on Reddit, in Facebook groups, on Quora and in reviews.")
            .Bullets(
            [
                "buyer_language: 10-15 phrases in the buyers' own words (not marketing copy), each with what it means, its emotional tone, how often it comes up and how to use it in marketing.",
                "top_fears: 3-5 fears, each with a first-person quote, its intensity 1-10, the emotion at its root, how it blocks the purchase and how the offer answers it. Go past the surface fear to the one underneath; mark a fear as surface only if it is one.",
                "top_desires: 3-5 desires with an aspirational first-person quote, the deeper meaning (freedom, validation, balance, impact or security), when they expect results, what they would pay in dollars and how this business delivers it.",
                "top_pain_points: exactly 5 daily frustrations with a quote, the root emotion, what they have already tried, why it failed and how the unique mechanism solves it.",
                "barriers: 2-6 reasons not to buy, each internal or external, with a short script that handles the objection.",
                "price_justification: why the desired price pays for itself, with dollar figures and a return-on-investment multiple.",
            ])
            .Line("Every fear and desire needs its own distinct name; do not restate the same idea twice.");
    }

    protected override void ValidateContent(BuyerPsychology output, StageInput input, ValidationBuilder result)
    {
        ContentRules.WarnOnRepeats(result, "top_fears", output.TopFears.Select(f => f.Name));
        ContentRules.WarnOnRepeats(result, "top_desires", output.TopDesires.Select(d => d.Name));
        ContentRules.WarnOnRepeats(result, "buyer_language", output.BuyerLanguage.Select(b => b.ExactPhrase));

        // The stage exists to get past surface fears (docs/domain.md §2.4); a list of nothing but surface fears missed the point.
        if (output.TopFears.Count > 0 && output.TopFears.All(f => f.IsSurfaceFear))
        {
            result.Warning("top_fears lists only surface fears; at least one should be the deeper fear underneath.");
        }
        if (output.Barriers.Count > 0 && output.Barriers.Select(b => b.Type).Distinct().Count() == 1)
        {
            result.Warning("barriers are all of one type; list both internal and external barriers.");
        }
    }
}
