using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Profiles;

/// <summary>
/// The 19-field business profile a user submits (docs/domain.md §1.4). Values are strings, as the form sends them; enums are
/// checked by <see cref="Validate"/> so that a wrong value becomes a field error rather than a parse failure.
/// </summary>
public sealed record BusinessProfile
{
    public string BusinessName { get; init; } = "";
    public string CurrentOfferDescription { get; init; } = "";
    public string Niche { get; init; } = "";
    public string SpecializationKeywords { get; init; } = "";
    public string BusinessStage { get; init; } = "";
    public string RevenueRange { get; init; } = "";
    public string PreferredMarketCategory { get; init; } = "";
    public string TargetMarketHypothesis { get; init; } = "";
    public string TargetDemographics { get; init; } = "";
    public string TargetPsychographics { get; init; } = "";
    public string CurrentCustomersDescription { get; init; } = "";
    public string BiggestCustomerPainPoint { get; init; } = "";
    public string ServiceType { get; init; } = "";
    public string DeliveryFormat { get; init; } = "";
    public string PricePointCurrent { get; init; } = "";
    public string DesiredPricePoint { get; init; } = "";
    public string OfferDuration { get; init; } = "";
    public string UniqueMechanism { get; init; } = "";
    public string CompetitorsOffers { get; init; } = "";

    public static readonly IReadOnlyList<string> BusinessStages = ["startup", "growth", "scaling"];
    public static readonly IReadOnlyList<string> RevenueRanges = ["<10k", "10k-50k", "50k-100k", "100k-500k", "500k+"];
    public static readonly IReadOnlyList<string> MarketCategories = ["health", "wealth", "relationships"];
    public static readonly IReadOnlyList<string> ServiceTypes = ["coaching", "consulting", "product", "hybrid"];
    public static readonly IReadOnlyList<string> DeliveryFormats = ["1:1", "group", "self-study", "hybrid"];

    /// <summary>Short text inputs (names, prices).</summary>
    public const int MaxTextLength = 300;

    /// <summary>Long descriptions; generous for a real business, small enough to keep prompts inside the context window.</summary>
    public const int MaxTextareaLength = 4000;

    /// <summary>Required long-form answers need enough substance to research from (same rule as the form).</summary>
    public const int MinTextareaLength = 50;

    /// <summary>Server-side rules, identical to the web form's blocking rules; returns errors keyed by JSON field name.</summary>
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        FieldRules.Text(errors, "business_name", BusinessName, required: true, MaxTextLength);
        FieldRules.Text(errors, "current_offer_description", CurrentOfferDescription, required: true, MaxTextareaLength, MinTextareaLength);
        FieldRules.Text(errors, "niche", Niche, required: true, MaxTextLength);
        FieldRules.Text(errors, "specialization_keywords", SpecializationKeywords, required: false, MaxTextLength);
        FieldRules.OneOf(errors, "business_stage", BusinessStage, BusinessStages);
        FieldRules.OneOf(errors, "revenue_range", RevenueRange, RevenueRanges);
        FieldRules.OneOf(errors, "preferred_market_category", PreferredMarketCategory, MarketCategories);
        FieldRules.Text(errors, "target_market_hypothesis", TargetMarketHypothesis, required: true, MaxTextLength);
        FieldRules.Text(errors, "target_demographics", TargetDemographics, required: true, MaxTextareaLength, MinTextareaLength);
        FieldRules.Text(errors, "target_psychographics", TargetPsychographics, required: true, MaxTextareaLength, MinTextareaLength);
        FieldRules.Text(errors, "current_customers_description", CurrentCustomersDescription, required: false, MaxTextareaLength);
        FieldRules.Text(errors, "biggest_customer_pain_point", BiggestCustomerPainPoint, required: true, MaxTextareaLength, MinTextareaLength);
        FieldRules.OneOf(errors, "service_type", ServiceType, ServiceTypes);
        FieldRules.OneOf(errors, "delivery_format", DeliveryFormat, DeliveryFormats);
        FieldRules.Text(errors, "price_point_current", PricePointCurrent, required: true, MaxTextLength);
        FieldRules.Text(errors, "desired_price_point", DesiredPricePoint, required: false, MaxTextLength);
        FieldRules.Text(errors, "offer_duration", OfferDuration, required: true, MaxTextLength);
        FieldRules.Text(errors, "unique_mechanism", UniqueMechanism, required: true, MaxTextareaLength, MinTextareaLength);
        FieldRules.Text(errors, "competitors_offers", CompetitorsOffers, required: false, MaxTextareaLength);
        return errors;
    }

    /// <summary>Soft hints of the form (docs/domain.md §1.4): worth showing, never blocking.</summary>
    public IReadOnlyList<string> QualityHints()
    {
        var hints = new List<string>();
        if (CurrentOfferDescription.Trim().Length < 100)
        {
            hints.Add("current_offer_description: a description of 100+ characters gives the research much more to work with.");
        }
        if (!TargetDemographics.Contains("income", StringComparison.OrdinalIgnoreCase))
        {
            hints.Add("target_demographics: mention the customers' income; pricing advice depends on it.");
        }
        return hints;
    }
}
