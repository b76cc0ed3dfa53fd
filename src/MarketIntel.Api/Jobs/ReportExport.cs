using System.Globalization;
using System.Text;
using System.Text.Json;
using MarketIntel.Pipeline;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.OfferRationale;
using MarketIntel.Pipeline.Stages.PaymentPlans;
using MarketIntel.Pipeline.Stages.PowerGuarantee;
using MarketIntel.Pipeline.Stages.PremiumBonuses;
using MarketIntel.Pipeline.Stages.PricingFramework;
using MarketIntel.Pipeline.Stages.ScarcityUpsells;
using MarketIntel.Pipeline.Stages.ValueStack;

namespace MarketIntel.Api.Jobs;

/// <summary>
/// The exported document: the report (stage 6) as part one, the offer (stages 7-13) as part two, each under a line
/// saying when and for whom it was generated and a note that market figures are the model's estimates. The offer is
/// written from the stored JSON; every model value goes in as escaped text, so it cannot add headings, links or HTML.
/// </summary>
public static class ReportExport
{
    public const string Note =
        "Market figures in this document (market sizes, growth rates, incomes and competitor prices) come from the AI "
        + "model's general knowledge, not from live market data. Check them before you rely on them.";

    /// <summary>"Generated on 29 November 2026 for Ashley Shaw Consulting" (UTC date, English month).</summary>
    public static string GeneratedLine(DateTimeOffset generated, string business) =>
        $"Generated on {generated.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} for {business}";

    public static string OfferTitle(string business) => $"Strategic Offer: {business}";

    /// <summary>The document; null when there is neither a report nor any offer stage output.</summary>
    public static string? Compose(string? report, IReadOnlyList<(int Stage, string Content)> offer, string business, DateTimeOffset generated)
    {
        if (report is null && offer.Count == 0)
        {
            return null;
        }
        var header = $"*{Text(GeneratedLine(generated, business))}.*\n\n> {Text(Note)}\n";
        var text = new StringBuilder();
        if (report is not null)
        {
            text.Append(WithHeader(report.Trim(), header)).Append('\n');
        }
        if (offer.Count > 0)
        {
            if (report is not null)
            {
                text.Append("\n---\n\n");
            }
            text.Append("# ").Append(Text(OfferTitle(business))).Append("\n\n");
            if (report is null)
            {
                text.Append(header).Append('\n');
            }
            foreach (var (stage, content) in offer)
            {
                text.Append(OfferStage(stage, content)).Append('\n');
            }
        }
        return text.ToString().TrimEnd() + "\n";
    }

    /// <summary>The header goes under the report's title line, or first when the report has none.</summary>
    private static string WithHeader(string report, string header)
    {
        var firstLineEnd = report.IndexOf('\n', StringComparison.Ordinal);
        var first = firstLineEnd < 0 ? report : report[..firstLineEnd];
        if (!first.StartsWith("# ", StringComparison.Ordinal))
        {
            return header + "\n" + report;
        }
        var rest = firstLineEnd < 0 ? "" : report[(firstLineEnd + 1)..].TrimStart('\r', '\n');
        return $"{first}\n\n{header}\n{rest}";
    }

    /// <summary>One offer stage as an H2 section; JSON that no longer matches its record is shown as a JSON block.</summary>
    public static string OfferStage(int stage, string content)
    {
        var text = new StringBuilder($"## {stage}. {StageCatalog.Get(stage).Name}\n\n");
        try
        {
            switch (stage)
            {
                case 7: Rationale(text, Read<OfferRationale>(content)); break;
                case 8: Stack(text, Read<ValueStack>(content)); break;
                case 9: Pricing(text, Read<PricingFramework>(content)); break;
                case 10: Plans(text, Read<PaymentPlans>(content)); break;
                case 11: Bonuses(text, Read<PremiumBonuses>(content)); break;
                case 12: Guarantees(text, Read<PowerGuarantee>(content)); break;
                default: Upsells(text, Read<ScarcityUpsells>(content)); break;
            }
        }
        catch (JsonException)
        {
            var fence = new string('`', Math.Max(3, LongestRun(content, '`') + 1));
            text.Append(fence).Append("json\n").Append(content.Trim()).Append('\n').Append(fence).Append('\n');
        }
        return text.ToString();
    }

    private static T Read<T>(string content) =>
        JsonSerializer.Deserialize<T>(content, PipelineJson.Options) ?? throw new JsonException("The output is null.");

    private static void Rationale(StringBuilder text, OfferRationale c)
    {
        for (var i = 0; i < c.Options.Count; i++)
        {
            var o = c.Options[i];
            text.Append($"### Option {i + 1}: {Text(o.UniqueMechanismName)}{(i + 1 == c.RecommendedOption ? " (recommended)" : "")}\n\n");
            text.Append($"**{Text(o.BigPromise)}**\n\n");
            Fields(text, ("How it works", o.MechanismExplanation), ("Who it is for", o.WhoItsFor), ("Why now", o.WhyNow),
                ("Proof", o.ProofStrategy), ("Differentiation", string.Join("; ", o.Differentiation)), ("Strategic angle", o.StrategicAngle));
        }
        Paragraph(text, "Why this option", c.RecommendationRationale);
    }

    private static void Stack(StringBuilder text, ValueStack c)
    {
        Table(text, ["Component", "What it is", "What it does", "Delivery", "Perceived value"],
            c.CoreComponents.Select(x => new[] { x.ComponentName, x.WhatItIs, x.WhatItDoes, x.DeliveryFormat, Money(x.PerceivedValue) }));
        Paragraph(text, "Total perceived value", Money(c.TotalPerceivedValue));
        Paragraph(text, null, c.ValueStackSummary);
    }

    private static void Pricing(StringBuilder text, PricingFramework c)
    {
        Paragraph(text, "Price", Money(c.RecommendedPrice));
        Fields(text, ("Value-to-price ratio", c.ValueToPriceRatio), ("Rationale", c.PricingRationale),
            ("Competitive positioning", c.CompetitivePositioning),
            ("Reference points", string.Join("; ", c.PriceAnchoringStrategy.ReferencePoints)), ("Framing", c.PriceAnchoringStrategy.FramingTechnique),
            ("Primary payment option", c.PaymentStructure.PrimaryOption), ("Alternatives", string.Join("; ", c.PaymentStructure.AlternativeOptions)),
            ("Top objection", c.PriceSensitivityMitigation.TopObjection), ("Response", c.PriceSensitivityMitigation.ResponseStrategy));
    }

    private static void Plans(StringBuilder text, PaymentPlans c)
    {
        Table(text, ["Plan", "Structure", "Total", "Incentive", "Best for"],
            c.Plans.Select(p => new[] { p.PlanName + (p.IsRecommended ? " (recommended)" : ""), p.PaymentStructure, Money(p.TotalPrice), p.Incentive, p.BestFor }));
        Paragraph(text, "Why the recommended plan", c.RecommendationRationale);
    }

    private static void Bonuses(StringBuilder text, PremiumBonuses c)
    {
        Table(text, ["Bonus", "What it does", "Addresses", "Delivered", "Perceived value"],
            c.Bonuses.Select(b => new[] { b.BonusName, b.WhatItDoes, b.DesirePainAddressed, b.DeliveryTiming, Money(b.PerceivedValue) }));
        Paragraph(text, "Total bonus value", Money(c.TotalBonusValue));
        Paragraph(text, null, c.StrategicBonusSummary);
    }

    private static void Guarantees(StringBuilder text, PowerGuarantee c)
    {
        for (var i = 0; i < c.GuaranteeOptions.Count; i++)
        {
            var g = c.GuaranteeOptions[i];
            text.Append($"### {Text(g.GuaranteeName)} (risk: {Text(g.RiskLevel)}){(i + 1 == c.RecommendedGuarantee ? " (recommended)" : "")}\n\n");
            Fields(text, ("Terms", g.GuaranteeTerms), ("Covered", g.WhatsCovered), ("To claim", g.TriggerConditions),
                ("Remedy", g.RefundRemedyTerms), ("Impact", g.PsychologicalImpact));
        }
        Paragraph(text, "Why this guarantee", c.RecommendationRationale);
    }

    private static void Upsells(StringBuilder text, ScarcityUpsells c)
    {
        text.Append("### Order bumps\n\n");
        Table(text, ["Order bump", "What it is", "Price", "Value", "Hook"],
            c.OrderBumps.Select(b => new[] { b.BumpName, b.WhatItIs, Money(b.Price), Money(b.PerceivedValue), b.ConversionHook }));
        text.Append("### Upsells\n\n");
        Table(text, ["Upsell", "What it is", "Price", "Value", "Hook"],
            c.Upsells.Select(u => new[] { u.UpsellName, u.WhatItIs, Money(u.Price), Money(u.PerceivedValue), u.ConversionHook }));
        text.Append("### Scarcity\n\n");
        var s = c.ScarcityMechanisms;
        Fields(text, ("Enrolment", s.EnrollmentScarcity), ("Bonus window", s.BonusScarcity), ("Price", s.PriceScarcity),
            ("Social proof", s.SocialProofScarcity), ("Order bump revenue potential", Money(c.TotalOrderBumpRevenuePotential)),
            ("Upsell revenue potential", Money(c.TotalUpsellRevenuePotential)));
        Paragraph(text, null, c.MonetizationSummary);
    }

    private static void Fields(StringBuilder text, params (string Label, string? Value)[] fields)
    {
        foreach (var (label, value) in fields.Where(f => !string.IsNullOrWhiteSpace(f.Value)))
        {
            text.Append($"- **{label}:** {Text(value)}\n");
        }
        text.Append('\n');
    }

    private static void Paragraph(StringBuilder text, string? label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            text.Append(label is null ? "" : $"**{label}:** ").Append(Text(value)).Append("\n\n");
        }
    }

    private static void Table(StringBuilder text, string[] columns, IEnumerable<string[]> rows)
    {
        text.Append("| ").AppendJoin(" | ", columns).Append(" |\n|");
        text.Append(string.Concat(columns.Select(_ => "---|"))).Append('\n');
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(Text)).Append(" |\n");
        }
        text.Append('\n');
    }

    private static string Money(decimal value) => value.ToString("$#,0.##", CultureInfo.InvariantCulture);

    /// <summary>A value as one line of literal text: whitespace collapsed, and the characters that would make Markdown
    /// emphasis, links, code, table cells or HTML escaped.</summary>
    internal static string Text(string? value)
    {
        var line = string.Join(' ', (value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var text = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '~')
            {
                text.Append('\\');
            }
            text.Append(c);
        }
        return text.ToString();
    }

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var x in text)
        {
            run = x == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }
}
