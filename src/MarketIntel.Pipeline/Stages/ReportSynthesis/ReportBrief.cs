using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Stages.ReportSynthesis;

/// <summary>
/// Stages 1-5 as labelled values for a 24K-context report prompt: every field the report uses, read from the nested
/// records (no "Not specified" for data that exists, docs/domain.md §2.8, §9 D9), each value clipped to <c>clip</c> characters.
/// One block per topic, so each report section is given only the blocks it writes about.
/// </summary>
internal static class ReportBrief
{
    /// <summary>Every block, for the single-call report prompt.</summary>
    public static void Write(PromptWriter prompt, StageInput input, int clip)
    {
        Market(prompt, input, clip);
        Segments(prompt, input, clip);
        Psychology(prompt, input, clip);
        Competition(prompt, input, clip);
        Avatar(prompt, input, clip);
        Offer(prompt, input, clip);
        Campaign(prompt, input, clip);
    }

    public static void Market(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        string List(IEnumerable<string> values) => C(string.Join("; ", values));
        var m = input.Get<MarketAnalysis.MarketAnalysis>(1);
        prompt.Data("market_analysis",
        [
            ("Growth rate", C(m.MarketGrowthRate)),
            ("Market size 2024", C(m.MarketSize2024)),
            ("Market size 2025 (projected)", C(m.MarketSize2025Projected)),
            ("Bleeding-neck problem", C(m.BleedingNeckProblem)),
            ("Average household income", C(m.PurchasingPower.AverageHouseholdIncome)),
            ("Discretionary spending", C(m.PurchasingPower.DiscretionarySpending)),
            ("Platform fit", C(m.Targetability.PlatformFit)),
            ("Targeting difficulty", $"{m.Targetability.DifficultyScore}/10 (10 = easiest)"),
            ("Targeting interests", List(m.Targetability.TargetingInterests)),
            ("Targeting behaviours", List(m.Targetability.TargetingBehaviors)),
        ]);
    }

    public static void Segments(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        var m = input.Get<MarketAnalysis.MarketAnalysis>(1);
        prompt.Data("customer_segments",
        [
            ("Top 20% demographics", C(m.Top20Percent.Demographics)),
            ("Top 20% psychographics", C(m.Top20Percent.Psychographics)),
            ("Top 20% characteristics", C(m.Top20Percent.Characteristics)),
            ("Power 4% demographics", C(m.Power4Percent.Demographics)),
            ("Power 4% psychographics", C(m.Power4Percent.Psychographics)),
            ("Power 4% buying frequency", C(m.Power4Percent.BuyingFrequency)),
            ("Power 4% lifetime value", C(m.Power4Percent.LifetimeValue)),
            ("Power 4% differentiation", C(m.Power4Percent.Differentiation)),
        ]);
    }

    public static void Psychology(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        var b = input.Get<BuyerPsychology.BuyerPsychology>(2);
        prompt.Data("buyer_psychology",
        [
            .. b.BuyerLanguage.Select((x, i) => ($"Phrase {i + 1}",
                $"\"{C(x.ExactPhrase)}\" | means: {C(x.MeaningContext)} | tone: {x.EmotionalTone} | frequency: {x.UsageFrequency} | hook: {C(x.MarketingApplication)}")),
            .. b.TopFears.Select((x, i) => ($"Fear {i + 1}",
                $"{C(x.Name)} ({x.Intensity}/10{(x.IsSurfaceFear ? ", surface fear" : "")}) | \"{C(x.Quote)}\" | root: {C(x.RootEmotion)} | blocks purchase: {C(x.PurchaseBlocker)} | offer answers: {C(x.HowOfferAddresses)}")),
            .. b.TopDesires.Select((x, i) => ($"Desire {i + 1}",
                $"{C(x.Name)} ({x.Intensity}/10) | \"{C(x.AspirationalQuote)}\" | deeper meaning: {C(x.DeeperMeaning)} | expects: {C(x.TimelineExpectation)} | would pay: {C(x.WillingnessToPay)} | delivered by: {C(x.HowBusinessDelivers)}")),
            .. b.TopPainPoints.Select((x, i) => ($"Pain point {i + 1}",
                $"{C(x.Frustration)} | \"{C(x.Quote)}\" | root: {x.RootEmotion} | tried: {C(x.WhatTheyveTried)} | failed because: {C(x.WhyItDidntWork)} | mechanism solves: {C(x.HowUniqueMechanismSolves)}")),
            .. b.Barriers.Select((x, i) => ($"Barrier {i + 1} ({x.Type})", $"{C(x.Barrier)} | reply: {C(x.ObjectionHandlingScript)}")),
            ("Price justification", C(b.PriceJustification)),
        ]);
    }

    public static void Competition(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        string List(IEnumerable<string> values) => C(string.Join("; ", values));
        var c = input.Get<CompetitiveAnalysis.CompetitiveAnalysis>(3);
        prompt.Data("competitive_analysis",
        [
            .. c.Competitors.Select((x, i) => ($"Competitor {i + 1}",
                $"{C(x.Name)} | price: {C(x.PricePoint)} | positioning: {C(x.Positioning)} | strengths: {List(x.Strengths)} | weaknesses: {List(x.Weaknesses)} | serves: {C(x.TargetAudience)}")),
            .. c.PositioningGaps.Select((x, i) => ($"Gap {i + 1}", C(x))),
            .. c.DifferentiationOpportunities.Select((x, i) => ($"Differentiator {i + 1}", C(x))),
            ("Unique value proposition", C(c.UniqueValueProposition)),
            ("Pricing landscape", C(c.CompetitivePricingAnalysis)),
            .. c.WhyBusinessWins.Select((x, i) => ($"Win reason {i + 1}", C(x))),
        ]);
    }

    public static void Avatar(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        string List(IEnumerable<string> values) => C(string.Join("; ", values));
        var a = input.Get<AvatarCreation.AvatarCreation>(4);
        var d = a.Demographics;
        prompt.Data("avatar",
        [
            ("Name", C(a.AvatarName)),
            ("Age", C(d.AgeRange)),
            ("Household income", C(d.HouseholdIncome)),
            ("Location", C(d.GeographicLocation)),
            ("Profession", C(d.ProfessionIndustry)),
            ("Family", C(d.FamilyStatus)),
            ("Education", C(d.Education)),
            ("Core values", List(a.Psychographics.CoreValues)),
            ("Beliefs about the niche", C(a.Psychographics.BeliefsAboutNiche)),
            ("Daily lifestyle", C(a.Psychographics.DailyLifestyle)),
            ("Media", List(a.Psychographics.MediaConsumption)),
            ("Morning", C(a.DayInLife.MorningRoutine)),
            ("Workday", C(a.DayInLife.WorkdayExperience)),
            ("Evening", C(a.DayInLife.EveningRoutine)),
            ("Weekend", C(a.DayInLife.WeekendRoutine)),
            .. a.DayInLife.PainPointMoments.Select((x, i) => ($"Pain moment {i + 1}", C(x))),
            .. ReachFields(a, C, List),
            ("Hopes", List(a.Top3Hopes)),
            ("Fears", List(a.Top3Fears)),
            .. a.Top3Barriers.Select((x, i) => ($"Barrier {i + 1}", $"{C(x.Barrier)} | solution: {C(x.Solution)}")),
            ("Recommended tone", C(a.RecommendedTone)),
            ("Price sensitivity", $"{a.PriceSensitivity}: {C(a.PriceSensitivityJustification)}"),
        ]);
    }

    /// <summary>How and where the avatar is reached: the campaign section's view of stage 4.</summary>
    public static void Reach(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        string List(IEnumerable<string> values) => C(string.Join("; ", values));
        var a = input.Get<AvatarCreation.AvatarCreation>(4);
        prompt.Data("avatar_reach", [("Name", C(a.AvatarName)), .. ReachFields(a, C, List), ("Recommended tone", C(a.RecommendedTone))]);
    }

    private static IEnumerable<(string, string?)> ReachFields(AvatarCreation.AvatarCreation a, Func<string?, string> C, Func<IEnumerable<string>, string> List) =>
    [
        ("Best contact days", List(a.BuyingTriggers.OptimalContactDays)),
        ("Best contact times", List(a.BuyingTriggers.OptimalContactTimes)),
        ("Decision windows", C(a.BuyingTriggers.DecisionMakingWindows)),
        ("Platforms", List(a.BuyingTriggers.PlatformPreferences)),
        ("Content formats", List(a.BuyingTriggers.ContentFormatPreferences)),
        .. a.OnlineCommunities.Select((x, i) => ($"Community {i + 1}",
            $"{C(x.Name)} on {C(x.Platform)} | {C(x.MemberCount)} | engagement: {x.EngagementLevel} | trust: {C(x.TrustFactor)} | norms: {C(x.ToneAndNorms)} | topics: {List(x.TopTopics)} | posts: {List(x.TopPostExamples)} | opportunity: {C(x.AdvertisingOpportunity)}")),
    ];

    public static void Offer(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        string List(IEnumerable<string> values) => C(string.Join("; ", values));
        var o = input.Get<OfferDesign.OfferDesign>(5);
        prompt.Data("offer_design",
        [
            ("Offer name", C(o.CoreOffer.OfferName)),
            ("Target outcome", C(o.CoreOffer.TargetOutcome)),
            ("Pain points solved", List(o.CoreOffer.PainPointsSolved)),
            ("Desires delivered", List(o.CoreOffer.DesiresDelivered)),
            ("Unique positioning", C(o.CoreOffer.UniquePositioning)),
            .. Tiers(o, C, List),
            .. o.PaymentPlans.Select((x, i) => ($"Payment plan {i + 1}", $"{C(x.Name)} | {C(x.Structure)} | total {ResearchDigest.Money(x.TotalCost)}")),
            .. o.MarketingMessages.Select((x, i) => ($"Message {i + 1} ({x.Type})", $"\"{C(x.Headline)}\" | use: {C(x.Usage)}")),
            ("Guarantee", C(o.Guarantee.GuaranteeText)),
            ("Why the guarantee works", C(o.Guarantee.WhyItWorks)),
            .. o.Bonuses.Select((x, i) => ($"Bonus {i + 1}",
                $"{C(x.Name)} | worth {ResearchDigest.Money(x.Value)} | serves: {C(x.AddressesDesire)} | speeds results: {C(x.HowItSpeedsResults)}")),
        ]);
    }

    /// <summary>The first campaign, with the offer it sells (name, tiers, guarantee) so its numbers match section 6.</summary>
    public static void Campaign(PromptWriter prompt, StageInput input, int clip)
    {
        string C(string? value) => ResearchDigest.Clip(value, clip);
        string List(IEnumerable<string> values) => C(string.Join("; ", values));
        var o = input.Get<OfferDesign.OfferDesign>(5);
        prompt.Data("first_campaign",
        [
            ("Offer name", C(o.CoreOffer.OfferName)),
            .. Tiers(o, C, List),
            ("Guarantee", C(o.Guarantee.GuaranteeText)),
            ("Campaign platform", C(o.FirstCampaign.Platform)),
            ("Campaign message", C(o.FirstCampaign.Message)),
            ("Campaign offer", C(o.FirstCampaign.OfferConfiguration)),
            ("Campaign timeline", C(o.FirstCampaign.LaunchTimeline)),
        ]);
    }

    private static IEnumerable<(string, string?)> Tiers(OfferDesign.OfferDesign o, Func<string?, string> C, Func<IEnumerable<string>, string> List) =>
        o.PricingTiers.OrderBy(t => t.TierNumber).Select(t => ($"Tier {t.TierNumber}{(t.IsRecommended ? " (RECOMMENDED)" : "")}",
            (string?)$"{C(t.TierName)} | {ResearchDigest.Money(t.Price)} | best for: {C(t.BestFor)} | includes: {List(t.Deliverables)}"));
}
