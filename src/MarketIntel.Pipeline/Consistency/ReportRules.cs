using System.Text.Json;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.AvatarCreation;
using MarketIntel.Pipeline.Stages.BuyerPsychology;
using MarketIntel.Pipeline.Stages.CompetitiveAnalysis;
using MarketIntel.Pipeline.Stages.MarketAnalysis;
using MarketIntel.Pipeline.Stages.OfferDesign;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>
/// The report (stage 6) uses the research as the research gave it: quotes and headlines word for word, tables and
/// market figures with the stages' numbers. Each rule is a function of the whole report Markdown and the stage input,
/// so it holds however the report is written (one call or section by section).
/// </summary>
internal static class ReportRules
{
    private const int Stage = 6;

    public static IEnumerable<IConsistencyRule> All =>
    [
        Verbatim("report.buyer-phrases-verbatim", 2, "Buyer Language Intelligence", "Phrase", "every buyer phrase of the research",
            input => input.Get<BuyerPsychology>(2).BuyerLanguage.Select(b => b.ExactPhrase)),
        Verbatim("report.fear-quotes-verbatim", 2, "Fear Analysis", null, "every fear quote of the research",
            input => input.Get<BuyerPsychology>(2).TopFears.Select(f => f.Quote)),
        Verbatim("report.headlines-verbatim", 5, "Marketing Messages", "Headline", "every marketing headline of the research",
            input => input.Get<OfferDesign>(5).MarketingMessages.Select(m => m.Headline)),
        TableColumn("report.tier-prices", "3-Tier Pricing Model", "Price", "the research's tier prices in tier order",
            input => input.Get<OfferDesign>(5).PricingTiers.OrderBy(t => t.TierNumber).Select(t => t.Price)),
        TableColumn("report.plan-totals", "Payment Plan Options", "Total Cost", "the research's payment plan totals in its order",
            input => input.Get<OfferDesign>(5).PaymentPlans.Select(p => p.TotalCost)),
        TableColumn("report.bonus-values", "Irresistible Bonuses", "Value", "the research's bonus values in its order",
            input => input.Get<OfferDesign>(5).Bonuses.Select(b => b.Value)),
        new ConsistencyRule<string>
        {
            Id = "report.competitor-prices",
            Stage = Stage,
            Section = "Competitor Matrix",
            Reads = [3],
            Checks = "Each row of the Competitor Matrix gives its competitor's dollar amounts as stage 3 states them, in the research's order.",
            Instruct = input => $"{InTable("Competitor Matrix", "Price")} each competitor's price as the research gives it, in the research's order of competitors: {List(input.Get<CompetitiveAnalysis>(3).Competitors.Select(c => c.PricePoint))}.",
            Check = (report, input) =>
            {
                if (ReportText.Section(report, "Competitor Matrix") is not { } body || ReportText.Column(body, "Price") is not { } cells)
                {
                    return []; // a missing section or table is the outline check's error
                }
                var competitors = input.Get<CompetitiveAnalysis>(3).Competitors;
                return competitors
                    .Select((c, i) => (c, cell: i < cells.Count ? cells[i] : ""))
                    .Where(p => !Figures.Amounts(p.c.PricePoint).SequenceEqual(Figures.Amounts(p.cell)))
                    .Select(p => $"The Price of {p.c.Name} in the Competitor Matrix must be the research's \"{FieldRules.Truncate(p.c.PricePoint, 60)}\", in the research's row order; got \"{FieldRules.Truncate(p.cell, 60)}\".");
            },
        },
        new ConsistencyRule<string>
        {
            Id = "report.avatar-demographics",
            Stage = Stage,
            Section = "Demographics Profile",
            Reads = [4],
            Checks = "The Demographics Profile table states the avatar's age and household income as stage 4 gives them.",
            Instruct = input =>
            {
                var d = input.Get<AvatarCreation>(4).Demographics;
                return $"In the table under \"Demographics Profile\", the \"Detail\" column gives the avatar's age and household income as the research states them: {List([d.AgeRange, d.HouseholdIncome])}.";
            },
            Check = (report, input) =>
            {
                if (ReportText.Section(report, "Demographics Profile") is not { } body || ReportText.Column(body, "Detail") is not { } cells)
                {
                    return [];
                }
                var d = input.Get<AvatarCreation>(4).Demographics;
                var missing = new List<string>();
                if (Figures.AgeOf(d.AgeRange) is { } age && !cells.Any(c => Figures.AgeOf(c) == age))
                {
                    missing.Add($"age {d.AgeRange}");
                }
                if (Figures.FirstAmount(d.HouseholdIncome) is { } income && !cells.Any(c => Figures.FirstAmount(c) == income))
                {
                    missing.Add($"household income {d.HouseholdIncome}");
                }
                return missing.Count == 0
                    ? []
                    : [$"The Demographics Profile table must state the avatar's figures as stage 4 gave them; missing: {string.Join("; ", missing)}."];
            },
        },
        new ConsistencyRule<string>
        {
            Id = "report.market-figures",
            Stage = Stage,
            Section = "Market Growth & Size",
            Reads = [1],
            Checks = "The Market Growth & Size section states stage 1's 2024 size, 2025 projection and growth rate.",
            Instruct = input =>
            {
                var m = input.Get<MarketAnalysis>(1);
                return $"Under \"Market Growth & Size\", state the 2024 market size, the 2025 projection and the growth rate as the research gives them: {List([m.MarketSize2024, m.MarketSize2025Projected, m.MarketGrowthRate])}.";
            },
            Check = (report, input) =>
            {
                if (ReportText.Section(report, "Market Growth & Size") is not { } section)
                {
                    return []; // a missing heading is the outline check's error
                }
                var text = string.Join('\n', section);
                var amounts = Figures.Amounts(text);
                var percents = Figures.Percents(text);
                var m = input.Get<MarketAnalysis>(1);
                var missing = new List<string>();
                foreach (var (label, value) in new[] { ("market_size_2024", m.MarketSize2024), ("market_size_2025_projected", m.MarketSize2025Projected) })
                {
                    if (Figures.FirstAmount(value) is { } amount && !amounts.Contains(amount))
                    {
                        missing.Add($"{label} {value}");
                    }
                }
                if (Figures.PercentIn(m.MarketGrowthRate) is { } growth && !percents.Contains(growth))
                {
                    missing.Add($"market_growth_rate {m.MarketGrowthRate}");
                }
                return missing.Count == 0
                    ? []
                    : [$"The section \"Market Growth & Size\" must state the research's figures as stage 1 gave them; missing: {string.Join("; ", missing)}."];
            },
        },
    ];

    /// <summary>Values as a JSON array: one exact form for every list an instruction gives, whatever the values contain.</summary>
    private static string List(IEnumerable<string> values) => JsonSerializer.Serialize(values, PipelineJson.Options);

    private static string InTable(string section, string column) =>
        $"In the table under \"{section}\", the \"{column}\" column holds, row by row,";

    /// <param name="column">The table column that carries the quotes, or null when they go in the section's prose.</param>
    private static ConsistencyRule<string> Verbatim(string id, int reads, string section, string? column, string what, Func<StageInput, IEnumerable<string>> quotes) => new()
    {
        Id = id,
        Stage = Stage,
        Section = section,
        Reads = [reads],
        Checks = $"The report contains {what} word for word.",
        Instruct = input => column is null
            ? $"Under \"{section}\", quote each of these word for word: {List(quotes(input))}."
            : $"{InTable(section, column)} word for word: {List(quotes(input))}.",
        Check = (report, input) =>
        {
            var missing = quotes(input).Where(q => !ReportText.Quotes(report, q)).ToList();
            return missing.Count == 0
                ? []
                : [$"The report must quote {what} word for word as the research gave it; missing: {string.Join("; ", missing.Select(q => $"\"{FieldRules.Truncate(q, 80)}\""))}."];
        },
    };

    private static ConsistencyRule<string> TableColumn(string id, string section, string column, string what, Func<StageInput, IEnumerable<decimal>> values) => new()
    {
        Id = id,
        Stage = Stage,
        Section = section,
        Reads = [5],
        Checks = $"The \"{column}\" column of the {section} table lists {what}.",
        Instruct = input => $"{InTable(section, column)} {what}: {List(values(input).Select(Figures.Money))}.",
        Check = (report, input) =>
        {
            if (ReportText.Section(report, section) is not { } body || ReportText.Column(body, column) is not { } cells)
            {
                return []; // a missing section or table is the outline check's error
            }
            var expected = values(input).ToList();
            var found = cells.Select(c => Figures.FirstAmount(c)).ToList();
            return found.Count == expected.Count && found.Zip(expected).All(p => p.First == p.Second)
                ? []
                : [$"The \"{column}\" column of the table under \"{section}\" must list {what}: {string.Join(", ", expected.Select(Figures.Money))}; got {string.Join(", ", cells.Select(c => FieldRules.Truncate(c, 20)))}."];
        },
    };
}
