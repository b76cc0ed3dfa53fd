using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.OfferDesign;

/// <summary>Stage 5 output (docs/domain.md §2.7, declared shape): the core offer, three tiers, messages, guarantee and launch.</summary>
public sealed record OfferDesign
{
    public CoreOffer CoreOffer { get; init; } = new();

    [Description("Gateway, Signature and Premium tiers; only tier 2 is recommended.")]
    [Length(3, 3)]
    public IReadOnlyList<PricingTier> PricingTiers { get; init; } = [];

    [Description("Pay in full, then 3 and 6 monthly payments, all on tier 2's price.")]
    [Length(3, 3)]
    public IReadOnlyList<PaymentPlan> PaymentPlans { get; init; } = [];

    [Description("Five pain-based, five desire-based and five curiosity headlines.")]
    [Length(15, 15)]
    public IReadOnlyList<MarketingMessage> MarketingMessages { get; init; } = [];

    public Guarantee Guarantee { get; init; } = new();

    [Length(3, 5)]
    public IReadOnlyList<Bonus> Bonuses { get; init; } = [];

    public FirstCampaign FirstCampaign { get; init; } = new();
}

public sealed record CoreOffer
{
    public string OfferName { get; init; } = "";

    [Description("The measurable result the buyer gets, with a time frame.")]
    public string TargetOutcome { get; init; } = "";

    [Length(2, 5)]
    public IReadOnlyList<string> PainPointsSolved { get; init; } = [];

    [Length(2, 5)]
    public IReadOnlyList<string> DesiresDelivered { get; init; } = [];

    public string UniquePositioning { get; init; } = "";
}

public sealed record PricingTier
{
    [Range(1, 3)]
    public int TierNumber { get; init; }

    public string TierName { get; init; } = "";

    [Description("Price in US dollars, a plain number.")]
    [Range(1, 1_000_000)]
    public decimal Price { get; init; }

    [Length(5, 8)]
    public IReadOnlyList<string> Deliverables { get; init; } = [];

    public string BestFor { get; init; } = "";

    [Description("True for tier 2 only.")]
    public bool IsRecommended { get; init; }
}

public sealed record PaymentPlan
{
    public string Name { get; init; } = "";

    [Description("Instalments and their amounts, e.g. \"3 monthly payments of $9,200\".")]
    public string Structure { get; init; } = "";

    [Description("Total paid over the plan in US dollars, a plain number.")]
    [Range(1, 1_000_000)]
    public decimal TotalCost { get; init; }
}

public sealed record MarketingMessage
{
    [AllowedValues("pain-based", "desire-based", "curiosity")]
    public string Type { get; init; } = "";

    [Description("A headline of 10-15 words in the buyers' own language.")]
    public string Headline { get; init; } = "";

    [Description("Where and how to use it (ad, email subject, sales page).")]
    public string Usage { get; init; } = "";
}

public sealed record Guarantee
{
    [Description("An outcome-based guarantee of 50-100 words that answers the top fear.")]
    public string GuaranteeText { get; init; } = "";

    public string WhyItWorks { get; init; } = "";
}

public sealed record Bonus
{
    public string Name { get; init; } = "";

    [Description("Value in US dollars, a plain number.")]
    [Range(1, 100_000)]
    public decimal Value { get; init; }

    public string AddressesDesire { get; init; } = "";

    public string HowItSpeedsResults { get; init; } = "";
}

public sealed record FirstCampaign
{
    public string Platform { get; init; } = "";

    public string Message { get; init; } = "";

    [Description("Which tier, bonuses and deadline the campaign leads with.")]
    public string OfferConfiguration { get; init; } = "";

    [Description("Launch dates and days, timed to the avatar's contact windows.")]
    public string LaunchTimeline { get; init; } = "";
}
