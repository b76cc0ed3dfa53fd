using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.PremiumBonuses;

/// <summary>Stage 11 output (docs/domain.md §2.14): quickly delivered bonuses that make the offer harder to refuse.</summary>
public sealed record PremiumBonuses
{
    [Description("Three to five bonuses.")]
    [Length(3, 5)]
    public IReadOnlyList<Bonus> Bonuses { get; init; } = [];

    [Description("Sum of the bonuses' perceived values, in US dollars (number only).")]
    [Range(1, 10_000_000)]
    public decimal TotalBonusValue { get; init; }

    [Description("How the bonuses work together, in 2-3 sentences.")]
    public string StrategicBonusSummary { get; init; } = "";
}

public sealed record Bonus
{
    public string BonusName { get; init; } = "";

    [Description("What the buyer gets.")]
    public string WhatItIs { get; init; } = "";

    [Description("The result it produces.")]
    public string WhatItDoes { get; init; } = "";

    [Description("The desire it serves or the pain it removes.")]
    public string DesirePainAddressed { get; init; } = "";

    [Description("When it is delivered: instantly, day 1, week 1...")]
    public string DeliveryTiming { get; init; } = "";

    [Description("What the buyer would reasonably pay for it alone, in US dollars (number only).")]
    [Range(100, 2000)]
    public decimal PerceivedValue { get; init; }

    [Description("Why this buyer will value it.")]
    public string WhyItsValuable { get; init; } = "";
}
