using MarketIntel.Pipeline.Prompts;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.OfferDesign;

/// <summary>Stage 5 — Offer Design: core offer, three price tiers, payment plans, 15 messages, guarantee, bonuses, first campaign.</summary>
public sealed class OfferDesignStage : JsonStage<OfferDesign>
{
    public const int MessagesPerType = 5;
    public static readonly IReadOnlyList<string> MessageTypes = ["pain-based", "desire-based", "curiosity"];

    /// <summary>Tier 1 and tier 3 relative to tier 2 (docs/domain.md §2.7 asks 40-50 % and 150-200 %; these bounds leave some slack).</summary>
    public const decimal GatewayMinShare = 0.30m, GatewayMaxShare = 0.60m, PremiumMinShare = 1.40m, PremiumMaxShare = 2.20m;

    public override int Number => 5;
    public override string Name => "Offer Design";
    public override StageType Type => StageType.Strategic;
    public override IReadOnlyList<int> Reads => [1, 2, 3, 4];
    public override int DefaultMaxTokens => 2500;
    public override string PromptVersion => "1.1";
    public override ScoreWeights Weights => new(6, 3);

    protected override string Persona =>
        "You are an offer strategist who designs premium coaching and consulting offers that sell without discounting.";

    protected override void WritePrompt(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        var p = input.Profile;
        var market = input.Get<MarketAnalysis.MarketAnalysis>(1);
        var psychology = input.Get<BuyerPsychology.BuyerPsychology>(2);
        var competition = input.Get<CompetitiveAnalysis.CompetitiveAnalysis>(3);
        var avatar = input.Get<AvatarCreation.AvatarCreation>(4);
        prompt.Heading("The business")
            .Data("business_profile",
            [
                ("Business name", p.BusinessName),
                ("Current offer", p.CurrentOfferDescription),
                ("Unique mechanism", p.UniqueMechanism),
                ("Current price", p.PricePointCurrent),
                ("Desired price", p.DesiredPricePoint),
            ]);
        prompt.Heading("From earlier research")
            .Data("research",
            [
                ("Power 4% demographics", market.Power4Percent.Demographics),
                ("Power 4% lifetime value", market.Power4Percent.LifetimeValue),
                ("Top fears", string.Join("; ", psychology.TopFears.Select(f => $"{f.Name}: \"{f.Quote}\""))),
                ("Top desires", string.Join("; ", psychology.TopDesires.Select(d => $"{d.Name}: \"{d.AspirationalQuote}\""))),
                ("Unique value proposition", competition.UniqueValueProposition),
                ("Avatar", avatar.AvatarName),
                ("Avatar price sensitivity", $"{avatar.PriceSensitivity}: {avatar.PriceSensitivityJustification}"),
                ("Best contact days", string.Join(", ", avatar.BuyingTriggers.OptimalContactDays)),
                ("Best contact times", string.Join(", ", avatar.BuyingTriggers.OptimalContactTimes)),
            ]);

        prompt.Heading("Your task")
            .Line($"Design the offer {avatar.AvatarName} says yes to at the desired price.")
            .Bullets(
            [
                "core_offer: a memorable offer name, the measurable outcome with a time frame, 2-5 pain points it solves, 2-5 desires it delivers, and what makes its positioning unique.",
                "pricing_tiers: exactly 3 tiers numbered 1, 2, 3 (Gateway, Signature, Premium). Tier 2 is priced at the desired price and is the only one with is_recommended true; tier 1 costs 40-50% of tier 2 and tier 3 150-200% of it. Prices are plain numbers of US dollars. Each tier has 5-8 concrete deliverables and says who it is best for.",
                "payment_plans: exactly 3 plans for tier 2, each with a name that speaks to the buyer; their structures and totals are computed from tier 2's price (see the consistency rules below). total_cost is a plain number of dollars.",
                $"marketing_messages: exactly 15 headlines of 10-15 words, {MessagesPerType} of each type (pain-based, desire-based, curiosity), in the buyers' own words, each with where to use it.",
                "guarantee: an outcome-based guarantee of 50-100 words that answers the top fear, and why it works.",
                "bonuses: 3-5 bonuses with a dollar value each (plain number), the desire each serves and how it speeds up results.",
                "first_campaign: the platform, the lead message, the offer configuration (tier, bonuses, deadline) and a launch timeline timed to the avatar's best contact days and times.",
            ]);
    }

    protected override void ValidateContent(OfferDesign output, StageInput input, ValidationBuilder result)
    {
        // With the wrong number of tiers or messages the schema has already said so; one error per fault is enough.
        if (output.PricingTiers.Count == 3)
        {
            ValidateTiers(output.PricingTiers, result);
        }
        if (output.MarketingMessages.Count == MessagesPerType * MessageTypes.Count)
        {
            foreach (var type in MessageTypes)
            {
                var count = output.MarketingMessages.Count(m => m.Type == type);
                if (count != MessagesPerType)
                {
                    result.Error($"marketing_messages must have {MessagesPerType} {type} messages, got {count}.");
                }
            }
        }
        // Length targets the original stated but never measured (docs/domain.md §4.4).
        var offLength = output.MarketingMessages
            .Select((m, i) => (Index: i, Words: ContentRules.WordCount(m.Headline)))
            .Where(m => m.Words is > 0 and (< 10 or > 15))
            .Select(m => $"[{m.Index}] {m.Words}")
            .ToList();
        if (offLength.Count > 0)
        {
            result.Warning($"marketing_messages headlines should be 10-15 words; word counts off: {string.Join(", ", offLength)}.");
        }
        var guaranteeWords = ContentRules.WordCount(output.Guarantee.GuaranteeText);
        if (guaranteeWords is > 0 and (< 50 or > 100))
        {
            result.Warning($"guarantee.guarantee_text should be 50-100 words, got {guaranteeWords}.");
        }
        ContentRules.WarnOnRepeats(result, "marketing_messages", output.MarketingMessages.Select(m => m.Headline));
        ContentRules.WarnOnRepeats(result, "bonuses", output.Bonuses.Select(b => b.Name));
        ContentRules.WarnOnRepeats(result, "payment_plans", output.PaymentPlans.Select(p => p.Name));
    }

    private static void ValidateTiers(IReadOnlyList<PricingTier> tiers, ValidationBuilder result)
    {
        var numbers = tiers.Select(t => t.TierNumber).Order().ToList();
        if (!numbers.SequenceEqual([1, 2, 3]))
        {
            result.Error($"pricing_tiers must be numbered 1, 2 and 3 once each, got {string.Join(", ", numbers)}.");
            return;
        }
        var recommended = tiers.Where(t => t.IsRecommended).Select(t => t.TierNumber).ToList();
        if (recommended is not [2])
        {
            result.Error(recommended.Count == 0
                ? "pricing_tiers must recommend tier 2; none is recommended."
                : $"pricing_tiers must recommend tier 2 only; recommended: {string.Join(", ", recommended)}.");
        }

        var byNumber = tiers.ToDictionary(t => t.TierNumber, t => t.Price);
        var (gateway, signature, premium) = (byNumber[1], byNumber[2], byNumber[3]);
        if (gateway <= 0 || signature <= 0 || premium <= 0)
        {
            return; // a missing or non-positive price is already a schema error; comparing it says nothing more
        }
        if (!(gateway < signature && signature < premium))
        {
            return; // rule tiers.ascend reports it; shares of a tier 2 that is not in the middle say nothing more
        }
        var gatewayShare = gateway / signature;
        if (gatewayShare is < GatewayMinShare or > GatewayMaxShare)
        {
            result.Warning($"pricing_tiers tier 1 ({Money(gateway)}) is {gatewayShare:P0} of tier 2; aim for 40-50%.");
        }
        var premiumShare = premium / signature;
        if (premiumShare is < PremiumMinShare or > PremiumMaxShare)
        {
            result.Warning($"pricing_tiers tier 3 ({Money(premium)}) is {premiumShare:P0} of tier 2; aim for 150-200%.");
        }
    }

    private static string Money(decimal value) => ResearchDigest.Money(value);
}
