using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Stages.ReportSynthesis;

/// <summary>An inclusive word range for one part of the report, and the output tokens that range needs.</summary>
public readonly record struct WordBand(int Min, int Max)
{
    /// <summary>English prose with Llama-family tokenizers.</summary>
    public const double TokensPerWord = 1.4;

    /// <summary>Table pipes, separator rows and heading marks cost tokens but count no words.</summary>
    public const int MarkupTokens = 700;

    /// <summary>Enough for the top of the band plus markup, rounded up to a hundred.</summary>
    public int MaxTokens => (int)Math.Ceiling((Max * TokensPerWord + MarkupTokens) / 100) * 100;
}

/// <summary>
/// One part of the report: its slice of the outline and who writes it. Model-written parts have a word band and read
/// only the research they write about; the title line and the appendix are written by code (<see cref="Words"/> null).
/// </summary>
public sealed record ReportPart(string Key, IReadOnlyList<ReportSection> Outline, WordBand? Words, IReadOnlyList<int> Reads)
{
    public ReportSection Heading => Outline[0];

    public bool WrittenByCode => Words is null;

    /// <summary>The condensed research for a 24K window at a given clip length; null for parts without research data.</summary>
    internal Action<PromptWriter, StageInput, int>? Brief { get; init; }

    /// <summary>What this part must analyse, beyond following its outline.</summary>
    internal string Focus { get; init; } = "";
}

/// <summary>
/// How the report is split for writing: a part starts at every H1 or H2 of <see cref="ReportOutline"/>. The bands are
/// chosen so that parts that each land inside their own band always add up to a whole report of 5,000-6,000 words:
/// the minimums sum to 5,000 and the maximums to 5,645, leaving room for the code-written title and appendix.
/// </summary>
public static class ReportPlan
{
    public const string TitleKey = "title";
    public const string SummaryKey = "summary";
    public const string AppendixKey = "appendix";

    private static readonly ReportPart[] Specs =
    [
        new(TitleKey, [], null, []),
        new(SummaryKey, [], new WordBand(300, 360), [])
        {
            Focus = "Summarise the opportunity, the buyer, the competition, the offer and the first steps for the owner, "
                + "using only the names, quotes and figures that appear in the sections.",
        },
        new("section-1", [], new WordBand(560, 630), [1])
        {
            Brief = ReportBrief.Market,
            Focus = "Judge whether this market is worth pursuing: its growth and size with the figures as given, the "
                + "bleeding-neck problem, the buyers' purchasing power, and how easily they can be targeted.",
        },
        new("section-2", [], new WordBand(400, 450), [1])
        {
            Brief = ReportBrief.Segments,
            Focus = "Profile the top 20% and the power 4% of customers and explain why the power 4% are the ones to build for.",
        },
        new("section-3", [], new WordBand(820, 920), [2])
        {
            Brief = ReportBrief.Psychology,
            Focus = "Put every buyer phrase in the table (its tone as the emotion, its hook as the marketing hook) and "
                + "analyse every fear, desire, pain point and barrier, quoting the buyers word for word.",
        },
        new("section-4", [], new WordBand(600, 675), [3])
        {
            Brief = ReportBrief.Competition,
            Focus = "One table row per competitor, then every positioning gap, differentiation opportunity and reason the business wins.",
        },
        new("section-5", [], new WordBand(720, 810), [4])
        {
            Brief = ReportBrief.Avatar,
            Focus = "Bring the avatar to life: the demographics table (age, income, location, profession, family, "
                + "education), values and beliefs, a day from morning to weekend with its pain moments, when and where to "
                + "reach them, and one table row per online community.",
        },
        new("section-6", [], new WordBand(820, 920), [5])
        {
            Brief = ReportBrief.Offer,
            Focus = "Present the core offer and its guarantee, with one table row per pricing tier (mark the recommended "
                + "one), payment plan, marketing message and bonus, every price as given.",
        },
        new("section-7", [], new WordBand(300, 340), [4, 5])
        {
            Brief = (p, input, clip) =>
            {
                ReportBrief.Campaign(p, input, clip);
                ReportBrief.Reach(p, input, clip);
            },
            Focus = "Lay out the first campaign as a launch plan: platform, message, offer and timeline as given, and "
                + "when and where the avatar is reached.",
        },
        new("section-8", [], new WordBand(480, 540), [1, 2, 3, 4, 5])
        {
            // Recommendations draw on everything, so they get the compact digest the offer stages use.
            Brief = (p, input, _) => p.DataText("research_summary", ResearchDigest.Condensed(input)),
            Focus = "Turn the research into actions for weeks 1-2, months 1-3 and months 4-12, and five metrics, each "
                + "with a target and a timeframe.",
        },
        new(AppendixKey, [], null, [1, 2, 3, 4, 5]),
    ];

    /// <summary>Every part of the report for this input, in outline order.</summary>
    public static IReadOnlyList<ReportPart> For(StageInput input) => Split(ReportOutline.For(input));

    private static IReadOnlyList<ReportPart> Split(IReadOnlyList<ReportSection> outline)
    {
        var slices = new List<List<ReportSection>>();
        foreach (var section in outline)
        {
            if (section.Level <= 2 || slices.Count == 0)
            {
                slices.Add([]);
            }
            slices[^1].Add(section);
        }
        if (slices.Count != Specs.Length)
        {
            throw new InvalidOperationException(
                $"The report outline has {slices.Count} top-level parts but the plan describes {Specs.Length}.");
        }
        return Specs.Select((spec, i) => spec with { Outline = slices[i] }).ToList();
    }

    /// <summary>The parts written by the model side by side (all but the summary).</summary>
    public static IEnumerable<ReportPart> Sections(IReadOnlyList<ReportPart> parts) =>
        parts.Where(p => !p.WrittenByCode && p.Key != SummaryKey);

    /// <summary>
    /// The appendix, written from the data rather than by the model: what each research stage contributed, how the
    /// report was written, and that market figures are the model's estimates.
    /// </summary>
    public static string Appendix(StageInput input, ReportPart appendix)
    {
        var psychology = input.Get<BuyerPsychology.BuyerPsychology>(2);
        var competition = input.Get<CompetitiveAnalysis.CompetitiveAnalysis>(3);
        var avatar = input.Get<AvatarCreation.AvatarCreation>(4);
        var offer = input.Get<OfferDesign.OfferDesign>(5);
        var writer = new System.Text.StringBuilder();
        writer.AppendLine(appendix.Heading.Heading).AppendLine();
        writer.AppendLine("This report was written from five research stages, each produced by a language model from the "
            + "business profile and checked by code before the next stage read it:").AppendLine();
        writer.AppendLine("1. **Market analysis**: market size and growth, the bleeding-neck problem, purchasing power, "
            + "targetability, and the top 20% and power 4% customer segments.");
        writer.AppendLine($"2. **Buyer psychology**: {psychology.BuyerLanguage.Count} buyer phrases, {psychology.TopFears.Count} fears, "
            + $"{psychology.TopDesires.Count} desires, {psychology.TopPainPoints.Count} pain points and {psychology.Barriers.Count} barriers to purchase.");
        writer.AppendLine($"3. **Competitive analysis**: {competition.Competitors.Count} competitors, {competition.PositioningGaps.Count} "
            + $"positioning gaps and {competition.DifferentiationOpportunities.Count} differentiation opportunities.");
        writer.AppendLine($"4. **Avatar creation**: the dream customer {ReportOutline.Name(avatar.AvatarName)} and "
            + $"{avatar.OnlineCommunities.Count} online communities where they gather.");
        writer.AppendLine($"5. **Offer design**: {offer.PricingTiers.Count} pricing tiers, {offer.PaymentPlans.Count} payment plans, "
            + $"{offer.MarketingMessages.Count} marketing messages, {offer.Bonuses.Count} bonuses and the first campaign.").AppendLine();
        writer.AppendLine("Each numbered section of the report was written separately from the stages it draws on, and the "
            + "executive summary from the finished sections. Market sizes, growth rates, incomes and competitor prices come "
            + "from the model's general knowledge, not from live market data or a survey: treat them as estimates and "
            + "check them before making commitments that depend on them.");
        return writer.ToString();
    }

    /// <summary>Input tokens a condensed prompt may use beside an answer of <paramref name="maxTokens"/>.</summary>
    internal static int CondensedInputBudget(int maxTokens) =>
        ReportSynthesisStage.CondensedContextWindow - maxTokens - ContextBudget.SafetyTokens;
}
