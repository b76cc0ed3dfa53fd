using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.PowerGuarantee;

/// <summary>Stage 12 output (docs/domain.md §2.15): three guarantees from cautious to bold, and the one that fits the user.</summary>
public sealed record PowerGuarantee
{
    [Description("Exactly three guarantees: one low, one moderate, one high risk to the business.")]
    [Length(3, 3)]
    public IReadOnlyList<GuaranteeOption> GuaranteeOptions { get; init; } = [];

    // The original sent "1"/"2"/"3" as a string; an integer lets the schema check the range.
    [Description("The guarantee to use: 1, 2 or 3 (its position in guarantee_options).")]
    [Range(1, 3)]
    public int RecommendedGuarantee { get; init; }

    [Description("Why that guarantee fits the business and its risk tolerance, in 2-3 sentences.")]
    public string RecommendationRationale { get; init; } = "";
}

public sealed record GuaranteeOption
{
    public string GuaranteeName { get; init; } = "";

    [Description("The promise as the buyer reads it, in 2-3 sentences, with its time frame.")]
    public string GuaranteeTerms { get; init; } = "";

    [Description("What the guarantee covers.")]
    public string WhatsCovered { get; init; } = "";

    [Description("What the buyer must have done, and what must have happened, to claim it.")]
    public string TriggerConditions { get; init; } = "";

    [Description("What the buyer gets back when it is claimed.")]
    public string RefundRemedyTerms { get; init; } = "";

    [Description("How it removes the buyer's top fear.")]
    public string PsychologicalImpact { get; init; } = "";

    [Description("Risk to the business: low, moderate or high.")]
    [AllowedValues("low", "moderate", "high")]
    public string RiskLevel { get; init; } = "";
}
