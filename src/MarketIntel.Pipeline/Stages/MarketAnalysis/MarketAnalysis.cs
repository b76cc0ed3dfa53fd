using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MarketIntel.Pipeline.Stages.MarketAnalysis;

/// <summary>Stage 1 output (docs/domain.md §2.3): is the market worth entering, and who in it will pay the premium.</summary>
public sealed record MarketAnalysis
{
    [Description("Annual growth rate with its period, e.g. \"11.5% annually (2024-2025)\".")]
    public string MarketGrowthRate { get; init; } = "";

    [Description("Market size in 2024 in US dollars, e.g. \"$4.2 billion\".")]
    [JsonPropertyName("market_size_2024")]
    public string MarketSize2024 { get; init; } = "";

    [Description("Projected market size for 2025 in US dollars.")]
    [JsonPropertyName("market_size_2025_projected")]
    public string MarketSize2025Projected { get; init; } = "";

    [Description("The single most urgent, painful problem of this market, tied to the stated customer pain.")]
    public string BleedingNeckProblem { get; init; } = "";

    public PurchasingPower PurchasingPower { get; init; } = new();

    public Targetability Targetability { get; init; } = new();

    [JsonPropertyName("top_20_percent")]
    public CustomerSegment Top20Percent { get; init; } = new();

    [JsonPropertyName("power_4_percent")]
    public PowerSegment Power4Percent { get; init; } = new();
}

public sealed record PurchasingPower
{
    [Description("Average household income of the target market, in dollars.")]
    public string AverageHouseholdIncome { get; init; } = "";

    [Description("What they spend on solutions like this each year, in dollars.")]
    public string DiscretionarySpending { get; init; } = "";
}

public sealed record Targetability
{
    [Description("How well Facebook and Instagram can reach this market, and why.")]
    public string PlatformFit { get; init; } = "";

    [Description("Facebook/Instagram interests to target.")]
    [Length(3, 8)]
    public IReadOnlyList<string> TargetingInterests { get; init; } = [];

    [Description("Facebook/Instagram behaviours to target.")]
    [Length(3, 6)]
    public IReadOnlyList<string> TargetingBehaviors { get; init; } = [];

    [Description("How easy the market is to target, 1 (hardest) to 10 (easiest).")]
    [Range(1, 10)]
    public int DifficultyScore { get; init; }
}

/// <summary>The top 20 %: customers who would buy at the current price with few objections.</summary>
public sealed record CustomerSegment
{
    public string Demographics { get; init; } = "";

    public string Psychographics { get; init; } = "";

    public string Characteristics { get; init; } = "";
}

/// <summary>The Power 4 %: within the top 20 %, those who pay the premium price without hesitation and refer others.</summary>
public sealed record PowerSegment
{
    public string Demographics { get; init; } = "";

    public string Psychographics { get; init; } = "";

    public string BuyingFrequency { get; init; } = "";

    [Description("Lifetime value of one such customer, in dollars.")]
    public string LifetimeValue { get; init; } = "";

    [Description("What sets them apart from the rest of the top 20%.")]
    public string Differentiation { get; init; } = "";
}
