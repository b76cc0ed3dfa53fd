using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Profiles;

/// <summary>What the user wants from the offer (docs/domain.md §1.5), validated with the form's rules.</summary>
public sealed record OfferPreferences
{
    public IReadOnlyList<string> StrategicPriorities { get; init; } = [];
    public string PrimaryTransformation { get; init; } = "";
    public ProofAssets ProofAssetsAvailable { get; init; } = new();
    public string PricingStrategy { get; init; } = "";
    public PriceRange ComfortablePriceRange { get; init; } = new();
    public string ProprietaryFrameworks { get; init; } = "";
    public string UniqueToolsResources { get; init; } = "";
    public string ExclusiveAccess { get; init; } = "";
    public string GuaranteeRiskTolerance { get; init; } = "";
    public IReadOnlyList<string> EmphasizeComponents { get; init; } = [];
    public VoicePreferences? VoicePreferences { get; init; }

    public static readonly IReadOnlyList<string> Priorities =
    [
        "maximize_conversion_rate", "maximize_average_order_value", "maximize_lifetime_value",
        "build_trust_authority", "create_urgency_scarcity", "differentiate_from_competitors",
    ];
    public static readonly IReadOnlyList<string> PricingStrategies = ["value-based", "premium-positioning", "market-competitive"];
    public static readonly IReadOnlyList<string> RiskTolerances = ["conservative", "moderate", "aggressive"];
    public static readonly IReadOnlyList<string> Components =
    [
        "premium_bonuses", "payment_flexibility", "fast_action_rewards",
        "money_back_guarantee", "results_guarantee", "done_with_you_support",
    ];
    public static readonly IReadOnlyList<string> Tones = ["professional", "conversational", "inspiring", "direct"];

    public const int MaxPrice = 1_000_000;

    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        if (StrategicPriorities.Count == 0)
        {
            errors.Add("strategic_priorities", "choose at least one priority.");
        }
        if (StrategicPriorities.Count > Priorities.Count)
        {
            errors.Add("strategic_priorities", $"at most {Priorities.Count} priorities.");
        }
        foreach (var (priority, index) in StrategicPriorities.Select((p, i) => (p, i)))
        {
            FieldRules.OneOf(errors, $"strategic_priorities[{index}]", priority, Priorities);
        }
        if (StrategicPriorities.Distinct(StringComparer.Ordinal).Count() != StrategicPriorities.Count)
        {
            errors.Add("strategic_priorities", "each priority may be chosen once.");
        }
        FieldRules.Text(errors, "primary_transformation", PrimaryTransformation, required: true, BusinessProfile.MaxTextareaLength, 50);
        FieldRules.OneOf(errors, "pricing_strategy", PricingStrategy, PricingStrategies);
        if (ComfortablePriceRange.Min <= 0)
        {
            errors.Add("comfortable_price_range.min", "must be greater than 0.");
        }
        if (ComfortablePriceRange.Max <= ComfortablePriceRange.Min)
        {
            errors.Add("comfortable_price_range.max", "must be greater than min.");
        }
        if (ComfortablePriceRange.Max > MaxPrice)
        {
            errors.Add("comfortable_price_range.max", $"must be at most {MaxPrice}.");
        }
        FieldRules.Text(errors, "proprietary_frameworks", ProprietaryFrameworks, required: true, BusinessProfile.MaxTextLength);
        FieldRules.Text(errors, "unique_tools_resources", UniqueToolsResources, required: true, BusinessProfile.MaxTextareaLength);
        FieldRules.Text(errors, "exclusive_access", ExclusiveAccess, required: true, BusinessProfile.MaxTextLength);
        FieldRules.OneOf(errors, "guarantee_risk_tolerance", GuaranteeRiskTolerance, RiskTolerances);
        foreach (var (component, index) in EmphasizeComponents.Select((c, i) => (c, i)))
        {
            FieldRules.OneOf(errors, $"emphasize_components[{index}]", component, Components);
        }
        if (VoicePreferences is { } voice)
        {
            FieldRules.OneOf(errors, "voice_preferences.tone", voice.Tone, Tones, required: false);
            FieldRules.Text(errors, "voice_preferences.avoid_words", voice.AvoidWords, required: false, BusinessProfile.MaxTextLength);
            FieldRules.Text(errors, "voice_preferences.must_include_concepts", voice.MustIncludeConcepts, required: false, BusinessProfile.MaxTextLength);
        }
        return errors;
    }
}

public sealed record ProofAssets
{
    public bool Testimonials { get; init; }
    public bool CaseStudies { get; init; }
    public bool BeforeAfter { get; init; }
    public bool Certifications { get; init; }
    public bool MediaMentions { get; init; }

    public IEnumerable<string> Available()
    {
        if (Testimonials) yield return "testimonials";
        if (CaseStudies) yield return "case studies";
        if (BeforeAfter) yield return "before/after results";
        if (Certifications) yield return "certifications";
        if (MediaMentions) yield return "media mentions";
    }
}

public sealed record PriceRange
{
    public long Min { get; init; }
    public long Max { get; init; }
}

public sealed record VoicePreferences
{
    public string Tone { get; init; } = "";
    public string AvoidWords { get; init; } = "";
    public string MustIncludeConcepts { get; init; } = "";
}
