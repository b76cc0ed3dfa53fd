using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.AvatarCreation;
using MarketIntel.Pipeline.Stages.BuyerPsychology;
using MarketIntel.Pipeline.Stages.CompetitiveAnalysis;
using MarketIntel.Pipeline.Stages.MarketAnalysis;
using MarketIntel.Pipeline.Stages.OfferDesign;

namespace MarketIntel.Pipeline.Prompts;

/// <summary>
/// The research (stages 1-5) as later stages read it. <see cref="Condensed"/> is the compact plain-text summary of
/// docs/domain.md §4.1 for 24K-context models; unlike the original it reads the nested records the stages really produce, so
/// no insight degrades to "N/A" (docs/domain.md §9 D1). Every value is clipped, so the summary stays under
/// <see cref="MaxTokens"/> whatever the models wrote. <see cref="Full"/> is everything, for long-context models.
/// </summary>
public static class ResearchDigest
{
    /// <summary>Leaves an offer stage room for its instructions and output in a 24K window (docs/domain.md §4.1).</summary>
    public const int MaxTokens = 850;

    /// <summary>The essentials of stages 1-5 as labelled plain text, under <see cref="MaxTokens"/> estimated tokens.</summary>
    public static string Condensed(StageInput input)
    {
        var market = input.Get<MarketAnalysis>(1);
        var psychology = input.Get<BuyerPsychology>(2);
        var competition = input.Get<CompetitiveAnalysis>(3);
        var avatar = input.Get<AvatarCreation>(4);
        var offer = input.Get<OfferDesign>(5);
        var text = new StringBuilder();

        Block(text, "MARKET CONTEXT",
        [
            $"Growth: {Clip(market.MarketGrowthRate, 40)}; size 2024: {Clip(market.MarketSize2024, 30)} (2025: {Clip(market.MarketSize2025Projected, 30)})",
            $"Bleeding-neck problem: {Clip(market.BleedingNeckProblem, 110)}",
        ]);
        Block(text, "POWER 4%",
        [
            $"Who: {Clip(market.Power4Percent.Demographics, 90)}",
            $"Lifetime value: {Clip(market.Power4Percent.LifetimeValue, 30)}; household income: {Clip(market.PurchasingPower.AverageHouseholdIncome, 30)}",
        ]);
        Block(text, "TOP FEARS (for guarantee design)",
            Numbered(psychology.TopFears.Take(2).Select(f => $"{Clip(f.Name, 40)} ({f.Intensity}/10): \"{Clip(f.Quote, 55)}\"")));
        Block(text, "TOP DESIRES (for bonus design)",
            Numbered(psychology.TopDesires.Take(2).Select(d => $"{Clip(d.Name, 40)} ({d.Intensity}/10): \"{Clip(d.AspirationalQuote, 55)}\"")));
        Block(text, "BUYER LANGUAGE (for all copy)",
            [string.Join(", ", psychology.BuyerLanguage.Take(3).Select(b => $"\"{Clip(b.ExactPhrase, 50)}\""))]);
        Block(text, "TOP PAIN POINTS",
            Numbered(psychology.TopPainPoints.Take(2).Select(p => $"{Clip(p.Frustration, 40)}: \"{Clip(p.Quote, 60)}\"")));
        Block(text, "PRICE JUSTIFICATION", [Clip(psychology.PriceJustification, 150)]);
        Block(text, "COMPETITIVE LANDSCAPE",
        [
            $"UVP: {Clip(competition.UniqueValueProposition, 160)}",
            $"Pricing: {Clip(competition.CompetitivePricingAnalysis, 140)}",
            $"Biggest gap: {Clip(competition.PositioningGaps.FirstOrDefault(), 80)}",
            $"Why we win: {string.Join("; ", competition.WhyBusinessWins.Take(2).Select(w => Clip(w, 55)))}",
        ]);

        var community = avatar.OnlineCommunities.FirstOrDefault();
        var triggers = avatar.BuyingTriggers;
        Block(text, "AVATAR",
        [
            $"{Clip(avatar.AvatarName, 30)} ({Clip(avatar.Demographics.AgeRange, 15)}, {Clip(avatar.Demographics.HouseholdIncome, 20)}), {Clip(avatar.Demographics.GeographicLocation, 30)}",
            $"Price sensitivity: {avatar.PriceSensitivity} - {Clip(avatar.PriceSensitivityJustification, 90)}",
            $"Reach: {Clip(triggers.OptimalContactDays.FirstOrDefault(), 15)} {Clip(triggers.OptimalContactTimes.FirstOrDefault(), 20)} on {Clip(triggers.PlatformPreferences.FirstOrDefault(), 20)}",
            community is null
                ? "Community: none recorded"
                : $"Community: {Clip(community.Name, 40)} on {Clip(community.Platform, 15)} ({Clip(community.MemberCount, 25)})",
        ]);

        // The original fell back to the second tier when none was flagged; the validator now insists on tier 2.
        var tier = offer.PricingTiers.FirstOrDefault(t => t.IsRecommended) ?? offer.PricingTiers.FirstOrDefault(t => t.TierNumber == 2);
        Block(text, "EXISTING OFFER",
        [
            tier is null
                ? Clip(offer.CoreOffer.OfferName, 50)
                : $"{Clip(offer.CoreOffer.OfferName, 50)} - recommended tier {Clip(tier.TierName, 30)}: {Money(tier.Price)}",
            $"Outcome: {Clip(offer.CoreOffer.TargetOutcome, 90)}",
            $"Guarantee works because: {Clip(offer.Guarantee.WhyItWorks, 100)}",
        ]);
        return text.ToString().TrimEnd();
    }

    /// <summary>All five outputs, keyed as the original's CompleteResearchData (docs/domain.md §1.6).</summary>
    public static JsonObject Full(StageInput input) => new()
    {
        ["stage1_market_analysis"] = JsonNode.Parse(input.RawOutput(1)),
        ["stage2_buyer_psychology"] = JsonNode.Parse(input.RawOutput(2)),
        ["stage3_competitive_analysis"] = JsonNode.Parse(input.RawOutput(3)),
        ["stage4_avatar_creation"] = JsonNode.Parse(input.RawOutput(4)),
        ["stage5_offer_design"] = JsonNode.Parse(input.RawOutput(5)),
    };

    /// <summary>Cuts at a word boundary and marks the cut with one ellipsis character (never "...", which reads as a gap).</summary>
    internal static string Clip(string? value, int max)
    {
        var text = string.Join(' ', (value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0)
        {
            return "none recorded";
        }
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', max - 1);
        return text[..(cut > max / 2 ? cut : max - 1)].TrimEnd(',', ';', ':', '.', ' ') + "…";
    }

    internal static string Money(decimal value) => value.ToString("$#,0.##", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Numbered(IEnumerable<string> items) =>
        items.Select((item, i) => $"{i + 1}. {item}").DefaultIfEmpty("none recorded");

    private static void Block(StringBuilder text, string title, IEnumerable<string> lines)
    {
        text.AppendLine(title);
        foreach (var line in lines)
        {
            text.AppendLine(line);
        }
    }
}
