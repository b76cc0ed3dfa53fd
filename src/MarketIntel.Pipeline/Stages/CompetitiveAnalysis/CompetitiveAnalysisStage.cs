using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.CompetitiveAnalysis;

/// <summary>Stage 3 — Competitive Analysis: three competitors, gaps, differentiators, the UVP and why the business wins.</summary>
public sealed class CompetitiveAnalysisStage : JsonStage<CompetitiveAnalysis>
{
    public override int Number => 3;
    public override string Name => "Competitive Analysis";
    public override StageType Type => StageType.Analytical;
    public override IReadOnlyList<int> Reads => [1, 2];
    public override int DefaultMaxTokens => 2000;
    public override string PromptVersion => "1.0";
    public override ScoreWeights Weights => new(8, 3);

    protected override string Persona =>
        "You are a competitive-intelligence strategist who maps the market around small expert businesses and finds where they can win.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var market = input.Get<MarketAnalysis.MarketAnalysis>(1);
        var psychology = input.Get<BuyerPsychology.BuyerPsychology>(2);
        prompt.Heading("The business")
            .Data("business_profile",
            [
                ("Business name", p.BusinessName),
                ("Niche", p.Niche),
                ("Current offer", p.CurrentOfferDescription),
                ("Unique mechanism", p.UniqueMechanism),
                ("Known competitors and their prices", p.CompetitorsOffers),
                ("Current price", p.PricePointCurrent),
                ("Desired price", p.DesiredPricePoint),
            ]);
        prompt.Heading("From earlier research")
            .Data("research",
            [
                ("Bleeding-neck problem", market.BleedingNeckProblem),
                ("Power 4% demographics", market.Power4Percent.Demographics),
                ("Top fears", string.Join("; ", psychology.TopFears.Select(f => $"{f.Name} ({f.Intensity}/10)"))),
                ("Top desires", string.Join("; ", psychology.TopDesires.Select(d => $"{d.Name} ({d.Intensity}/10)"))),
            ]);

        prompt.Heading("Your task")
            .Line("Map the competition for these buyers and show where this business can win on positioning, not just price.")
            .Bullets(
            [
                "competitors: exactly 3 direct competitors, each a different, real company or recognisable type of provider. Start from the known competitors above when there are any. Give each its price in dollars, positioning, 2-4 strengths, 2-4 weaknesses and target audience.",
                "positioning_gaps: exactly 5 needs of these buyers (think of their fears and desires) that no competitor serves well.",
                "differentiation_opportunities: exactly 5 concrete ways this business can stand apart, building on its unique mechanism.",
                "unique_value_proposition: one sentence shaped as \"We help [target] achieve [outcome] through [mechanism] without [their top fear]\", with the brackets filled in.",
                "competitive_pricing_analysis: the budget, mid-range and premium price bands in dollars and where this business should sit.",
                "why_business_wins: exactly 5 separate reasons, one per list item.",
            ]);
    }

    protected override void ValidateContent(CompetitiveAnalysis output, StageInput input, ValidationBuilder result)
    {
        if (ContentRules.Repeats(output.Competitors.Select(c => c.Name)) is { Count: > 0 } repeated)
        {
            result.Error($"competitors must be three different competitors; repeated: {ContentRules.Quote(repeated)}.");
        }
        for (var i = 0; i < output.Competitors.Count; i++)
        {
            var price = output.Competitors[i].PricePoint;
            if (!string.IsNullOrWhiteSpace(price) && !ContentRules.HasFigure(price))
            {
                result.Warning($"competitors[{i}].price_point has no figure ('{FieldRules.Truncate(price)}').");
            }
        }
        // The original never looked at these lists at all (docs/domain.md §2.5); a repeated item is a lost one.
        ContentRules.WarnOnRepeats(result, "positioning_gaps", output.PositioningGaps);
        ContentRules.WarnOnRepeats(result, "differentiation_opportunities", output.DifferentiationOpportunities);
        ContentRules.WarnOnRepeats(result, "why_business_wins", output.WhyBusinessWins);
        if (!string.IsNullOrWhiteSpace(output.CompetitivePricingAnalysis) && !ContentRules.HasFigure(output.CompetitivePricingAnalysis))
        {
            result.Warning("competitive_pricing_analysis gives no dollar figures.");
        }
    }
}
