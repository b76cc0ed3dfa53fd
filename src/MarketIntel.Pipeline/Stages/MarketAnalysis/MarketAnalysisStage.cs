using System.Text.RegularExpressions;
using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.MarketAnalysis;

/// <summary>Stage 1 — Market Analysis: growth, size, the bleeding-neck problem, purchasing power, targetability, segments.</summary>
public sealed partial class MarketAnalysisStage : JsonStage<MarketAnalysis>
{
    public override int Number => 1;
    public override string Name => "Market Analysis";
    public override StageType Type => StageType.Analytical;
    public override IReadOnlyList<int> Reads => [];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.1";
    public override ScoreWeights Weights => new(10, 5);

    protected override string Persona =>
        "You are a senior market analyst who sizes markets for small expert businesses (coaches, consultants, course creators).";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        prompt.Heading("The business")
            .Data("business_profile",
            [
                ("Business name", p.BusinessName),
                ("Niche", p.Niche),
                ("Market category", p.PreferredMarketCategory),
                ("Target market hypothesis", p.TargetMarketHypothesis),
                ("Target demographics", p.TargetDemographics),
                ("Biggest customer pain point", p.BiggestCustomerPainPoint),
                ("Current price", p.PricePointCurrent),
                ("Desired price", p.DesiredPricePoint),
                ("Delivery format", p.DeliveryFormat),
            ]);

        prompt.Heading("Your task")
            .Line("Judge whether this market is worth building a premium offer for, then find the customers who will pay for it.")
            .Bullets(
            [
                "Growth: the market's annual growth rate for 2024-2025, and whether it clears 9% a year.",
                "Size: the 2024 market size and the 2025 projection, both in US dollars.",
                "Bleeding-neck problem: the one urgent, expensive problem these buyers need solved now; connect it to the stated pain point.",
                "Purchasing power: average household income and what they spend each year on solutions like this.",
                "Targetability: how well Facebook and Instagram reach them, 3-8 interests and 3-6 behaviours to target, and a difficulty score from 1 (hardest) to 10 (easiest).",
                "Top 20%: who would buy at the current price with few objections (demographics, psychographics, characteristics).",
                "Power 4%: within that 20%, who would pay the desired price without hesitation, finish the programme, refer others and give testimonials; include buying frequency and lifetime value in dollars.",
            ])
            .Line("Use figures from 2024-2025 sources you know; where you estimate, give a number, not a range of words.");
    }

    [GeneratedRegex(@"\d")]
    private static partial Regex Digit();

    protected override void ValidateContent(MarketAnalysis output, StageInput input, ValidationBuilder result)
    {
        // Sizes, growth and money values are useless without a figure in them.
        RequireFigure(result, "market_growth_rate", output.MarketGrowthRate);
        RequireFigure(result, "market_size_2024", output.MarketSize2024);
        RequireFigure(result, "market_size_2025_projected", output.MarketSize2025Projected);
        RequireFigure(result, "power_4_percent.lifetime_value", output.Power4Percent.LifetimeValue);
        RequireFigure(result, "purchasing_power.average_household_income", output.PurchasingPower.AverageHouseholdIncome);

        var interests = output.Targetability.TargetingInterests;
        if (interests.Distinct(StringComparer.OrdinalIgnoreCase).Count() != interests.Count)
        {
            result.Warning("targetability.targeting_interests repeats an interest.");
        }
    }

    private static void RequireFigure(ValidationBuilder result, string path, string value)
    {
        if (!string.IsNullOrWhiteSpace(value) && !Digit().IsMatch(value))
        {
            result.Error($"{path} must contain a figure, got '{FieldRules.Truncate(value)}'.");
        }
    }
}
