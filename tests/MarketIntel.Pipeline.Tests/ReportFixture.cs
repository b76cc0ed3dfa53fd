using System.Globalization;
using System.Text;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.AvatarCreation;
using MarketIntel.Pipeline.Stages.BuyerPsychology;
using MarketIntel.Pipeline.Stages.CompetitiveAnalysis;
using MarketIntel.Pipeline.Stages.MarketAnalysis;
using MarketIntel.Pipeline.Stages.OfferDesign;
using MarketIntel.Pipeline.Stages.ReportSynthesis;

namespace MarketIntel.Pipeline.Tests;

/// <summary>
/// Writes a report that follows an outline: every heading, every table, and prose filling it to a word count. Given the
/// research, it also uses it as the consistency rules ask: its market figures, fear quotes, phrases, headlines and the
/// prices, plan totals and bonus values in the tables; other cells read "Column value N".
/// </summary>
internal static class ReportFixture
{
    private static readonly string[] Vocabulary =
    [
        "Maya", "needs", "visible", "evidence", "that", "her", "leadership", "impact", "reaches", "the", "committee",
        "before", "calibration", "so", "sponsors", "can", "argue", "for", "promotion", "with", "numbers", "and", "stories",
    ];

    public static string Build(IReadOnlyList<ReportSection> outline, int targetWords = 5500, StageInput? research = null)
    {
        var leaves = outline.Where((s, i) => i + 1 == outline.Count || outline[i + 1].Level <= s.Level).ToHashSet();
        var skeleton = Render(outline, leaves, _ => 0, research);
        var filler = targetWords - ReportValidator.CountWords(skeleton);
        var perLeaf = filler / leaves.Count;
        var last = leaves.Last();
        return Render(outline, leaves, s => s == last ? filler - perLeaf * (leaves.Count - 1) : perLeaf, research);
    }

    private static string Render(IReadOnlyList<ReportSection> outline, IReadOnlySet<ReportSection> leaves, Func<ReportSection, int> words, StageInput? research)
    {
        var text = new StringBuilder();
        foreach (var section in outline)
        {
            text.AppendLine(section.Heading).AppendLine();
            if (research is not null && Facts(section.Title, research) is { } facts)
            {
                text.AppendLine(facts).AppendLine();
            }
            if (leaves.Contains(section) || section.Table is not null)
            {
                text.AppendLine(Prose(words(section))).AppendLine();
            }
            if (section.Table is { } table)
            {
                text.AppendLine("| " + table.Header + " |");
                text.AppendLine("|" + string.Concat(table.Columns.Select(_ => "---|")));
                for (var r = 1; r <= table.Rows; r++)
                {
                    text.AppendLine("| " + string.Join(" | ", table.Columns.Select(c => (research is null ? null : Cell(section.Title, c, r - 1, research)) ?? $"{c} value {r}")) + " |");
                }
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    private static string? Facts(string title, StageInput research)
    {
        var market = research.Get<MarketAnalysis>(1);
        return title switch
        {
            "Market Growth & Size" => $"The market was worth {market.MarketSize2024} in 2024 and is projected at {market.MarketSize2025Projected} in 2025, growing {market.MarketGrowthRate}.",
            "Fear Analysis" => string.Join(' ', research.Get<BuyerPsychology>(2).TopFears.Select(f => $"\"{f.Quote}\"")),
            _ => null,
        };
    }

    private static string? Cell(string title, string column, int row, StageInput research)
    {
        var offer = research.Get<OfferDesign>(5);
        return (title, column) switch
        {
            ("Buyer Language Intelligence", "Phrase") => research.Get<BuyerPsychology>(2).BuyerLanguage[row].ExactPhrase,
            ("Competitor Matrix", "Price") => research.Get<CompetitiveAnalysis>(3).Competitors[row].PricePoint,
            ("Demographics Profile", "Detail") when row == 0 => research.Get<AvatarCreation>(4).Demographics.AgeRange,
            ("Demographics Profile", "Detail") when row == 1 => research.Get<AvatarCreation>(4).Demographics.HouseholdIncome,
            ("Marketing Messages", "Headline") => offer.MarketingMessages[row].Headline,
            ("3-Tier Pricing Model", "Price") => Money(offer.PricingTiers.OrderBy(t => t.TierNumber).ElementAt(row).Price),
            ("Payment Plan Options", "Total Cost") => Money(offer.PaymentPlans[row].TotalCost),
            ("Irresistible Bonuses", "Value") => Money(offer.Bonuses[row].Value),
            _ => null,
        };
    }

    private static string Money(decimal amount) => amount.ToString("$#,0", CultureInfo.InvariantCulture);

    private static string Prose(int count) =>
        count <= 0 ? "" : string.Join(' ', Enumerable.Range(0, count).Select(i => Vocabulary[i % Vocabulary.Length])) + ".";
}
