using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Stages.ReportSynthesis;

/// <summary>A table a report section must contain: its header and how many data rows.</summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, int Rows)
{
    public string Header => string.Join(" | ", Columns);
}

/// <summary>One heading of the report skeleton (docs/domain.md §2.8), optionally with a required table.</summary>
public sealed record ReportSection(int Level, string Title, ReportTable? Table = null)
{
    public string Heading => $"{new string('#', Level)} {Title}";

    /// <summary>The heading as it appears in the prompt's outline: the table demand rides along as an HTML comment.</summary>
    public string OutlineLine => Table is null ? Heading : $"{Heading} <!-- table: {Table.Header}; rows: {Table.Rows} -->";
}

/// <summary>
/// The heading skeleton of the report with the business, avatar and offer names filled in. The prompt shows it and the
/// validator checks it, so both always agree; row counts follow the research (every phrase, plan and bonus appears).
/// </summary>
public static class ReportOutline
{
    public const string TitlePrefix = "Market Intelligence Report: ";

    public static IReadOnlyList<ReportSection> For(StageInput input)
    {
        var psychology = input.Get<BuyerPsychology.BuyerPsychology>(2);
        var avatar = input.Get<AvatarCreation.AvatarCreation>(4);
        var offer = input.Get<OfferDesign.OfferDesign>(5);
        return For(input.Profile.BusinessName, avatar.AvatarName, offer.CoreOffer.OfferName,
            phrases: psychology.BuyerLanguage.Count, paymentPlans: offer.PaymentPlans.Count, bonuses: offer.Bonuses.Count,
            messages: offer.MarketingMessages.Count);
    }

    public static IReadOnlyList<ReportSection> For(string businessName, string avatarName, string offerName,
        int phrases, int paymentPlans, int bonuses, int messages) =>
    [
        new(1, TitlePrefix + Name(businessName)),
        new(2, "Executive Summary"),
        new(2, "1. Market Validation & Opportunity"),
        new(3, "Market Growth & Size"),
        new(3, "Bleeding Neck Problem"),
        new(3, "Purchasing Power Analysis"),
        new(3, "Targetability Assessment"),
        new(2, "2. Customer Segmentation"),
        new(3, "Top 20% Customer Profile"),
        new(3, "Power 4% Dream Customer Profile"),
        new(2, "3. Buyer Psychology Deep-Dive"),
        new(3, "Buyer Language Intelligence", new(["Phrase", "Emotion", "Marketing Hook"], phrases)),
        new(3, "Fear Analysis"),
        new(3, "Desire Analysis"),
        new(3, "Major Pain Points"),
        new(3, "Barriers to Purchase"),
        new(3, "Price Justification"),
        new(2, "4. Competitive Intelligence"),
        new(3, "Competitor Matrix", new(["Competitor", "Price", "Positioning", "Strengths", "Weaknesses"], 3)),
        new(3, "Positioning Gap Analysis"),
        new(3, "Differentiation Opportunities"),
        new(3, "Unique Value Proposition"),
        new(3, "Why This Business Wins"),
        new(2, "5. Dream Customer Avatar: " + Name(avatarName)),
        new(3, "Demographics Profile", new(["Attribute", "Detail"], 6)),
        new(3, "Psychographic Profile"),
        new(3, "A Day in the Life"),
        new(3, "Buying Triggers & Optimal Contact"),
        new(3, "Online Community Intelligence", new(["Community", "Platform", "Members", "Engagement", "Opportunity"], 3)),
        new(3, "Avatar Summary"),
        new(2, "6. Offer Design & Pricing Strategy"),
        new(3, "Core Offer: " + Name(offerName)),
        new(3, "3-Tier Pricing Model", new(["Tier", "Name", "Price", "Best For", "Recommended"], 3)),
        new(3, "Payment Plan Options", new(["Plan", "Structure", "Total Cost"], paymentPlans)),
        new(3, "Marketing Messages", new(["Type", "Headline", "Usage"], messages)),
        new(3, "Risk-Reversal Guarantee"),
        new(3, "Irresistible Bonuses", new(["Bonus", "Value", "Desire Addressed", "How It Speeds Results"], bonuses)),
        new(2, "7. First Campaign Strategy"),
        new(2, "8. Strategic Recommendations & Next Steps"),
        new(3, "Immediate Actions (Week 1-2)"),
        new(3, "Short-Term Strategy (Month 1-3)"),
        new(3, "Long-Term Vision (Month 4-12)"),
        new(3, "Success Metrics to Track", new(["Metric", "Target", "Timeframe"], 5)),
        new(2, "Appendix: Research Methodology"),
    ];

    /// <summary>A user-supplied name on one heading line: no line breaks, no tags, no comment markers.</summary>
    internal static string Name(string value) =>
        string.Join(' ', PromptWriter.Escape(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
