using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.BuyerPsychology;

/// <summary>Stage 2 output (docs/domain.md §2.4, declared shape): how the buyers talk, what they fear, want and fight with.</summary>
public sealed record BuyerPsychology
{
    [Description("Verbatim phrases buyers use when they talk about this problem.")]
    [Length(10, 15)]
    public IReadOnlyList<BuyerPhrase> BuyerLanguage { get; init; } = [];

    [Description("The deep fears that stop them buying, strongest first.")]
    [Length(3, 5)]
    public IReadOnlyList<Fear> TopFears { get; init; } = [];

    [Description("The deeper desires behind the purchase, strongest first.")]
    [Length(3, 5)]
    public IReadOnlyList<Desire> TopDesires { get; init; } = [];

    [Description("Daily frustrations, with what they already tried.")]
    [Length(5, 5)]
    public IReadOnlyList<PainPoint> TopPainPoints { get; init; } = [];

    [Description("Internal and external reasons not to buy, each with a reply.")]
    [Length(2, 6)]
    public IReadOnlyList<PurchaseBarrier> Barriers { get; init; } = [];

    [Description("Why the desired price is worth it, with dollar figures and the return on investment.")]
    public string PriceJustification { get; init; } = "";
}

public sealed record BuyerPhrase
{
    [Description("The phrase exactly as a buyer would write it.")]
    public string ExactPhrase { get; init; } = "";

    [Description("What they mean by it and when they say it.")]
    public string MeaningContext { get; init; } = "";

    [AllowedValues("fear", "hope", "frustration", "pride", "shame", "desire")]
    public string EmotionalTone { get; init; } = "";

    [AllowedValues("high", "medium", "low")]
    public string UsageFrequency { get; init; } = "";

    [Description("How to use the phrase in a headline, ad or sales page.")]
    public string MarketingApplication { get; init; } = "";
}

public sealed record Fear
{
    [Description("A short name for the fear.")]
    public string Name { get; init; } = "";

    [Description("How strong the fear is, 1 (mild) to 10 (paralysing).")]
    [Range(1, 10)]
    public int Intensity { get; init; }

    [Description("How a buyer would voice this fear, in the first person.")]
    public string Quote { get; init; } = "";

    public string RootEmotion { get; init; } = "";

    [Description("How this fear stops the purchase.")]
    public string PurchaseBlocker { get; init; } = "";

    public string HowOfferAddresses { get; init; } = "";

    [Description("True when this is the surface fear rather than the deeper one underneath.")]
    public bool IsSurfaceFear { get; init; }
}

public sealed record Desire
{
    [Description("A short name for the desire.")]
    public string Name { get; init; } = "";

    [Description("How strong the desire is, 1 (nice to have) to 10 (burning).")]
    [Range(1, 10)]
    public int Intensity { get; init; }

    [Description("How a buyer would voice this desire, in the first person.")]
    public string AspirationalQuote { get; init; } = "";

    [Description("What it really means to them: freedom, validation, balance, impact or security, and why.")]
    public string DeeperMeaning { get; init; } = "";

    [Description("How soon they expect to see it happen.")]
    public string TimelineExpectation { get; init; } = "";

    [Description("What they would pay to get it, in dollars.")]
    public string WillingnessToPay { get; init; } = "";

    public string HowBusinessDelivers { get; init; } = "";
}

public sealed record PainPoint
{
    public string Frustration { get; init; } = "";

    [Description("How a buyer would complain about it, in the first person.")]
    public string Quote { get; init; } = "";

    [AllowedValues("fear", "guilt", "overwhelm", "shame", "anger")]
    public string RootEmotion { get; init; } = "";

    public string WhatTheyveTried { get; init; } = "";

    public string WhyItDidntWork { get; init; } = "";

    public string HowUniqueMechanismSolves { get; init; } = "";
}

public sealed record PurchaseBarrier
{
    [Description("The reason not to buy, as the buyer thinks it.")]
    public string Barrier { get; init; } = "";

    [AllowedValues("internal", "external")]
    public string Type { get; init; } = "";

    [Description("What to say when the buyer raises it.")]
    public string ObjectionHandlingScript { get; init; } = "";
}
