using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.PricingFramework;

/// <summary>Stage 9 output (docs/domain.md §2.12): one price inside the user's range and how to present it.</summary>
public sealed record PricingFramework
{
    [Description("The price to charge, in US dollars (number only), inside the user's comfortable range.")]
    [Range(1, 1_000_000)]
    public decimal RecommendedPrice { get; init; }

    [Description("Why this price, in 3-4 sentences: lifetime value, value stack, strategy, price sensitivity.")]
    public string PricingRationale { get; init; } = "";

    [Description("Total perceived value of the stack divided by the price, written as N:1, e.g. \"8:1\".")]
    public string ValueToPriceRatio { get; init; } = "";

    public PriceAnchoring PriceAnchoringStrategy { get; init; } = new();

    public PaymentStructure PaymentStructure { get; init; } = new();

    public PriceSensitivityMitigation PriceSensitivityMitigation { get; init; } = new();

    [Description("Where this price sits against the competitors, in 2 sentences.")]
    public string CompetitivePositioning { get; init; } = "";
}

public sealed record PriceAnchoring
{
    [Description("Three reference points the price is compared with (alternatives, cost of the problem, competitors).")]
    [Length(3, 3)]
    public IReadOnlyList<string> ReferencePoints { get; init; } = [];

    [Description("How the price is framed when presented.")]
    public string FramingTechnique { get; init; } = "";
}

public sealed record PaymentStructure
{
    [Description("The default way to pay.")]
    public string PrimaryOption { get; init; } = "";

    [Description("Two other ways to pay.")]
    [Length(2, 2)]
    public IReadOnlyList<string> AlternativeOptions { get; init; } = [];
}

public sealed record PriceSensitivityMitigation
{
    [Description("The price objection this buyer raises most.")]
    public string TopObjection { get; init; } = "";

    [Description("How the offer answers it.")]
    public string ResponseStrategy { get; init; } = "";
}
