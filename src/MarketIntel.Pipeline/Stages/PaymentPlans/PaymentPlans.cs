using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MarketIntel.Pipeline.Stages.PaymentPlans;

/// <summary>Stage 10 output (docs/domain.md §2.13): three fair ways to pay, one of them recommended.</summary>
/// <remarks>
/// Diverges from the original's free-text recommended_default: each plan carries is_recommended (the flag the original
/// UI already looked for), and exactly one must be true. Diverges from the original's two or three plans: code computes
/// all three from the offer price (docs/consistency.md), so the count is fixed.
/// </remarks>
public sealed record PaymentPlans
{
    [Description("Three plans: pay-in-full, then 3 and 6 monthly payments.")]
    [Length(3, 3)]
    [JsonPropertyName("payment_plans")]
    public IReadOnlyList<PaymentPlan> Plans { get; init; } = [];

    [Description("Why the recommended plan should be the default, in 2-3 sentences.")]
    public string RecommendationRationale { get; init; } = "";
}

public sealed record PaymentPlan
{
    public string PlanName { get; init; } = "";

    [Description("Amounts and schedule, e.g. \"3 monthly payments of $4,000\".")]
    public string PaymentStructure { get; init; } = "";

    [Description("Everything the buyer pays over the plan, in US dollars (number only).")]
    [Range(1, 10_000_000)]
    public decimal TotalPrice { get; init; }

    [Description("What makes this plan attractive (discount, bonus, extra access).")]
    public string Incentive { get; init; } = "";

    [Description("Which buyer this plan suits.")]
    public string BestFor { get; init; } = "";

    [Description("Why this plan helps that buyer say yes.")]
    public string ConversionPsychology { get; init; } = "";

    [Description("True for exactly one plan: the one to present as the default.")]
    public bool IsRecommended { get; init; }
}
