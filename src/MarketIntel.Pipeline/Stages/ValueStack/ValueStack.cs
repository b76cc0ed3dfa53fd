using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.ValueStack;

/// <summary>Stage 8 output (docs/domain.md §2.11): the tangible components of the offer and what each is worth to the buyer.</summary>
public sealed record ValueStack
{
    [Description("Five to seven components that together deliver the transformation.")]
    [Length(5, 7)]
    public IReadOnlyList<ValueComponent> CoreComponents { get; init; } = [];

    [Description("Sum of the components' perceived values, in US dollars (number only).")]
    [Range(1, 10_000_000)]
    public decimal TotalPerceivedValue { get; init; }

    [Description("What the stack adds up to for the buyer, in 2-3 sentences.")]
    public string ValueStackSummary { get; init; } = "";
}

public sealed record ValueComponent
{
    public string ComponentName { get; init; } = "";

    [Description("What the buyer gets.")]
    public string WhatItIs { get; init; } = "";

    [Description("The result it produces, in one sentence.")]
    public string WhatItDoes { get; init; } = "";

    [Description("The buyer desire it serves.")]
    public string DesireAddressed { get; init; } = "";

    [Description("How it is delivered (live call, video library, template...).")]
    public string DeliveryFormat { get; init; } = "";

    [Description("What the buyer would reasonably pay for it alone, in US dollars (number only).")]
    [Range(1, 1_000_000)]
    public decimal PerceivedValue { get; init; }
}
