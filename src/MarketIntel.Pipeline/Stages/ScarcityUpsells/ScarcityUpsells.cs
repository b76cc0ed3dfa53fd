using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.ScarcityUpsells;

/// <summary>Stage 13 output (docs/domain.md §2.16): checkout order bumps, post-purchase upsells and honest scarcity.</summary>
public sealed record ScarcityUpsells
{
    [Description("Exactly three checkout add-ons: a quick-start, a premium upgrade and a complementary tool.")]
    [Length(3, 3)]
    public IReadOnlyList<OrderBump> OrderBumps { get; init; } = [];

    [Description("Exactly two one-time offers after purchase: first tactical ($97-$297), then strategic ($497-$997).")]
    [Length(2, 2)]
    public IReadOnlyList<Upsell> Upsells { get; init; } = [];

    public ScarcityMechanisms ScarcityMechanisms { get; init; } = new();

    [Description("Sum of the three order bump prices, in US dollars (number only).")]
    [Range(1, 1_000)]
    public decimal TotalOrderBumpRevenuePotential { get; init; }

    [Description("Sum of the two upsell prices, in US dollars (number only).")]
    [Range(1, 10_000)]
    public decimal TotalUpsellRevenuePotential { get; init; }

    [Description("How bumps, upsells and scarcity raise revenue per buyer, in 3-4 sentences.")]
    public string MonetizationSummary { get; init; } = "";
}

public sealed record OrderBump
{
    public string BumpName { get; init; } = "";

    [Description("What the buyer gets.")]
    public string WhatItIs { get; init; } = "";

    [Description("Why it is worth adding at checkout.")]
    public string WhyAddIt { get; init; } = "";

    [Description("Price in US dollars (number only), 27 to 47.")]
    [Range(27, 47)]
    public decimal Price { get; init; }

    [Description("What it is worth to the buyer, in US dollars (number only); above the price.")]
    [Range(1, 100_000)]
    public decimal PerceivedValue { get; init; }

    public string BestFor { get; init; } = "";

    [Description("The one line that makes the buyer tick the box.")]
    public string ConversionHook { get; init; } = "";
}

public sealed record Upsell
{
    public string UpsellName { get; init; } = "";

    [Description("What the buyer gets.")]
    public string WhatItIs { get; init; } = "";

    [Description("Why upgrade right after buying, in 2 sentences.")]
    public string WhyUpgrade { get; init; } = "";

    [Description("Price in US dollars (number only), 97 to 997.")]
    [Range(97, 997)]
    public decimal Price { get; init; }

    [Description("What it is worth to the buyer, in US dollars (number only); 3-5 times the price.")]
    [Range(1, 1_000_000)]
    public decimal PerceivedValue { get; init; }

    public string BestFor { get; init; } = "";

    [Description("The pitch on the one-time-offer page, in 2-3 sentences.")]
    public string ConversionHook { get; init; } = "";

    [Description("How and when it is delivered.")]
    public string Delivery { get; init; } = "";
}

public sealed record ScarcityMechanisms
{
    [Description("A real limit on seats or cohort size, in 2-3 sentences.")]
    public string EnrollmentScarcity { get; init; } = "";

    [Description("A real deadline on the bonuses (48-72 hours), in 2-3 sentences.")]
    public string BonusScarcity { get; init; } = "";

    [Description("Optional: an early-bird price and when it ends.")]
    public string? PriceScarcity { get; init; }

    [Description("Real social proof of demand, in 2-3 sentences.")]
    public string SocialProofScarcity { get; init; } = "";
}
