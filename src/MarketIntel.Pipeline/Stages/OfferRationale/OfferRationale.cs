using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MarketIntel.Pipeline.Stages.OfferRationale;

/// <summary>Stage 7 output (docs/domain.md §2.10): three differently angled positionings of the offer and the one to lead with.</summary>
/// <remarks>
/// Diverges from the original, which used three keys option_1/option_2/option_3 and recommended one by key name: a list
/// of exactly three shares one item schema, and the recommendation becomes a 1-based index the schema can range-check.
/// </remarks>
public sealed record OfferRationale
{
    [Description("Exactly three distinct positionings of the offer.")]
    [Length(3, 3)]
    public IReadOnlyList<OfferPositioning> Options { get; init; } = [];

    [Description("The option to lead with: 1, 2 or 3 (its position in options).")]
    [Range(1, 3)]
    public int RecommendedOption { get; init; }

    [Description("Why that option fits this business and its priorities best, in 2-3 sentences.")]
    public string RecommendationRationale { get; init; } = "";
}

public sealed record OfferPositioning
{
    [Description("The headline promise, in the buyer's own words.")]
    public string BigPromise { get; init; } = "";

    [Description("A memorable name for the method that delivers the promise.")]
    public string UniqueMechanismName { get; init; } = "";

    [Description("How the mechanism works and why it overcomes the buyer's top fear, in 2-3 sentences.")]
    public string MechanismExplanation { get; init; } = "";

    [Description("The specific buyer this positioning is for.")]
    public string WhoItsFor { get; init; } = "";

    [Description("Why acting now matters for this buyer.")]
    public string WhyNow { get; init; } = "";

    [Description("How the available proof assets back the promise.")]
    public string ProofStrategy { get; init; } = "";

    [Description("Three ways this positioning differs from the competitors.")]
    [Length(3, 3)]
    public IReadOnlyList<string> Differentiation { get; init; } = [];

    [Description("Which of the user's strategic priorities this positioning serves, and how.")]
    public string StrategicAngle { get; init; } = "";
}
