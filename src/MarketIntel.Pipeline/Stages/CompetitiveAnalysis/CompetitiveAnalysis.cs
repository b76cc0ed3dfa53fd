using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.CompetitiveAnalysis;

/// <summary>Stage 3 output (docs/domain.md §2.5, declared shape): who else sells to these buyers and where this business wins.</summary>
public sealed record CompetitiveAnalysis
{
    [Description("The three most direct competitors.")]
    [Length(3, 3)]
    public IReadOnlyList<Competitor> Competitors { get; init; } = [];

    [Description("Needs of the market that no competitor serves well.")]
    [Length(5, 5)]
    public IReadOnlyList<string> PositioningGaps { get; init; } = [];

    [Description("Concrete ways this business can stand apart.")]
    [Length(5, 5)]
    public IReadOnlyList<string> DifferentiationOpportunities { get; init; } = [];

    [Description("One sentence: we help [target] achieve [outcome] through [mechanism] without [their fear].")]
    public string UniqueValueProposition { get; init; } = "";

    [Description("Budget, mid-range and premium price bands in dollars, and where this business should sit.")]
    public string CompetitivePricingAnalysis { get; init; } = "";

    [Description("Five reasons a buyer picks this business over the competitors.")]
    [Length(5, 5)]
    public IReadOnlyList<string> WhyBusinessWins { get; init; } = [];
}

public sealed record Competitor
{
    public string Name { get; init; } = "";

    [Description("What it charges, in dollars, with the period or package.")]
    public string PricePoint { get; init; } = "";

    [Description("How it presents itself to buyers.")]
    public string Positioning { get; init; } = "";

    [Length(2, 4)]
    public IReadOnlyList<string> Strengths { get; init; } = [];

    [Length(2, 4)]
    public IReadOnlyList<string> Weaknesses { get; init; } = [];

    public string TargetAudience { get; init; } = "";
}
