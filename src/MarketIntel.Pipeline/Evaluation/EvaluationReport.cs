using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketIntel.Pipeline.Evaluation;

/// <summary>One row of the comparison table, already formatted; shared by the Markdown and HTML renderers.</summary>
internal sealed record ReportRow(string Stage, string Verdict, string Models, string Quality, string ErrorRate, string Placeholders, string Latency, string CostPerRun);

/// <summary>Markdown and self-contained HTML reports of a comparison: a per-stage table (baseline, candidate, delta, verdict) and the reasons.</summary>
public static partial class EvaluationReport
{
    private static readonly string[] Headers =
        ["Stage", "Verdict", "Models (baseline → candidate)", "Quality mean", "Error rate", "Placeholders", "Latency mean ms (Δ)", "Cost per run (Δ)"];

    public static string ToMarkdown(EvaluationComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var md = new StringBuilder();
        md.Append("# Model upgrade evaluation: ").Append(Title(comparison)).Append("\n\n");
        md.Append("**Verdict: ").Append(VerdictText(comparison.Verdict)).Append("** (exit code ")
            .Append(comparison.ExitCode.ToString(CultureInfo.InvariantCulture)).Append(")\n\n");
        md.Append("Baseline `").Append(Cell(comparison.BaselineId)).Append("` · candidate `").Append(Cell(comparison.CandidateId)).Append("`\n\n");
        md.Append(GatesText(comparison.Gates)).Append("\n\n");

        md.Append("| ").Append(string.Join(" | ", Headers)).Append(" |\n");
        md.Append('|').Append(string.Concat(Headers.Select(_ => " --- |"))).Append('\n');
        foreach (var row in Rows(comparison))
        {
            md.Append("| ").Append(string.Join(" | ", new[] { row.Stage, row.Verdict, row.Models, row.Quality, row.ErrorRate, row.Placeholders, row.Latency, row.CostPerRun }.Select(Cell))).Append(" |\n");
        }

        var reasons = comparison.Stages.SelectMany(s => s.Reasons).ToList();
        md.Append("\n## Reasons\n\n");
        md.Append(reasons.Count == 0 ? "Every stage cleared every gate.\n" : string.Concat(reasons.Select(r => "- " + Line(r) + "\n")));
        var notes = comparison.Stages.SelectMany(s => s.Notes).ToList();
        if (notes.Count > 0)
        {
            md.Append("\n## Notes\n\n").Append(string.Concat(notes.Select(n => "- " + Line(n) + "\n")));
        }
        return md.ToString();
    }

    public static string ToHtml(EvaluationComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>Model upgrade evaluation: ").Append(E(Title(comparison))).Append("</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}")
            .Append("th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f4f4f4}")
            .Append(".pass{color:#1a7f37;font-weight:bold}.fail{color:#cf222e;font-weight:bold}.inconclusive{color:#9a6700;font-weight:bold}</style>\n")
            .Append("</head>\n<body>\n");
        html.Append("<h1>Model upgrade evaluation: ").Append(E(Title(comparison))).Append("</h1>\n");
        html.Append("<p>Verdict: <span class=\"").Append(VerdictClass(comparison.Verdict)).Append("\">").Append(VerdictText(comparison.Verdict))
            .Append("</span> (exit code ").Append(comparison.ExitCode.ToString(CultureInfo.InvariantCulture)).Append(")</p>\n");
        html.Append("<p>Baseline <code>").Append(E(comparison.BaselineId)).Append("</code> · candidate <code>").Append(E(comparison.CandidateId)).Append("</code></p>\n");
        html.Append("<p>").Append(E(GatesText(comparison.Gates))).Append("</p>\n");
        html.Append("<table>\n<thead><tr>").Append(string.Concat(Headers.Select(h => "<th>" + E(h) + "</th>"))).Append("</tr></thead>\n<tbody>\n");
        foreach (var (row, stage) in Rows(comparison).Zip(comparison.Stages))
        {
            html.Append("<tr><td>").Append(E(row.Stage)).Append("</td><td class=\"").Append(VerdictClass(stage.Verdict)).Append("\">").Append(E(row.Verdict)).Append("</td>");
            foreach (var cell in new[] { row.Models, row.Quality, row.ErrorRate, row.Placeholders, row.Latency, row.CostPerRun })
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n<h2>Reasons</h2>\n<ul>\n");
        var reasons = comparison.Stages.SelectMany(s => s.Reasons).ToList();
        html.Append(reasons.Count == 0 ? "<li>Every stage cleared every gate.</li>\n" : string.Concat(reasons.Select(r => "<li>" + E(r) + "</li>\n")));
        html.Append("</ul>\n");
        var notes = comparison.Stages.SelectMany(s => s.Notes).ToList();
        if (notes.Count > 0)
        {
            html.Append("<h2>Notes</h2>\n<ul>\n").Append(string.Concat(notes.Select(n => "<li>" + E(n) + "</li>\n"))).Append("</ul>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static readonly string[] RunHeaders =
        ["Stage", "Models", "Runs", "Errors", "Not run", "Quality mean (min)", "Placeholders", "Latency mean / p95 ms", "Tokens in / out", "Cost per run", "Retries / re-asks / fallbacks"];

    /// <summary>The figures of one run by themselves (what <c>eval run</c> writes beside the result JSON).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> RunTable(EvaluationResult result) =>
        [RunHeaders, .. result.Stages.Select(m => (IReadOnlyList<string>)
        [
            $"{m.Stage.ToString(CultureInfo.InvariantCulture)} {m.Name}", Models(m), I(m.Runs), I(m.Errors), I(m.NotRun),
            m.QualityMean is { } q ? $"{EvaluationComparer.Num(q)} ({I(m.QualityMin ?? 0)})" : "–", I(m.Placeholders),
            $"{EvaluationComparer.Num(m.LatencyMeanMs)} / {EvaluationComparer.Num(m.LatencyP95Ms)}",
            $"{m.TokensIn.ToString(CultureInfo.InvariantCulture)} / {m.TokensOut.ToString(CultureInfo.InvariantCulture)}",
            EvaluationComparer.Usd(m.CostPerRun), $"{I(m.Retries)} / {I(m.Reasks)} / {I(m.Fallbacks)}",
        ])];

    public static string ToMarkdown(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = RunTable(result);
        var md = new StringBuilder();
        md.Append("# Evaluation ").Append(Cell(EvaluationFiles.BaseName(result))).Append("\n\n");
        md.Append(Cell(RunSummary(result))).Append("\n\n");
        md.Append("| ").Append(string.Join(" | ", rows[0])).Append(" |\n");
        md.Append('|').Append(string.Concat(rows[0].Select(_ => " --- |"))).Append('\n');
        foreach (var row in rows.Skip(1))
        {
            md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        }
        var errors = result.Stages.SelectMany(s => s.SampleErrors.Select(e => $"Stage {s.Stage}: {e}")).ToList();
        if (errors.Count > 0)
        {
            md.Append("\n## Errors\n\n").Append(string.Concat(errors.Select(e => "- " + Line(e) + "\n")));
        }
        return md.ToString();
    }

    public static string ToHtml(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var rows = RunTable(result);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Evaluation ").Append(E(EvaluationFiles.BaseName(result)))
            .Append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}")
            .Append("th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f4f4f4}</style>\n</head>\n<body>\n");
        html.Append("<h1>Evaluation ").Append(E(EvaluationFiles.BaseName(result))).Append("</h1>\n<p>").Append(E(RunSummary(result))).Append("</p>\n<table>\n<thead><tr>")
            .Append(string.Concat(rows[0].Select(h => "<th>" + E(h) + "</th>"))).Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows.Skip(1))
        {
            html.Append("<tr>").Append(string.Concat(row.Select(c => "<td>" + E(c) + "</td>"))).Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        var errors = result.Stages.SelectMany(s => s.SampleErrors.Select(e => $"Stage {s.Stage}: {e}")).ToList();
        if (errors.Count > 0)
        {
            html.Append("<h2>Errors</h2>\n<ul>\n").Append(string.Concat(errors.Select(e => "<li>" + E(e) + "</li>\n"))).Append("</ul>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string RunSummary(EvaluationResult r) =>
        $"{r.Kind.ToString().ToLowerInvariant()}{(r.Phase is { } p ? $" phase {p.ToString(CultureInfo.InvariantCulture)}" : "")}, id {r.Id}, "
        + $"{r.Samples.Count.ToString(CultureInfo.InvariantCulture)} samples × {r.Trials.ToString(CultureInfo.InvariantCulture)} trials, "
        + (r.RoutingVersion is { } v ? $"stable routes of routing version {v.ToString(CultureInfo.InvariantCulture)}, " : "proposed routing, ")
        + $"{I(r.Totals.Runs)} stage runs, {I(r.Totals.Errors)} errors, {I(r.Totals.NotRun)} not run, total cost {EvaluationComparer.Usd(r.Totals.Cost)}, "
        + $"{EvaluationComparer.Num(r.Totals.DurationMs / 1000)} s.";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The formatted table rows, for console output as well.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Table(EvaluationComparison comparison) =>
        [Headers, .. Rows(comparison).Select(r => (IReadOnlyList<string>)[r.Stage, r.Verdict, r.Models, r.Quality, r.ErrorRate, r.Placeholders, r.Latency, r.CostPerRun])];

    private static IEnumerable<ReportRow> Rows(EvaluationComparison comparison) =>
        comparison.Stages.Select(s =>
        {
            var b = s.Baseline;
            var c = s.Candidate;
            return new ReportRow(
                $"{s.Stage.ToString(CultureInfo.InvariantCulture)} {s.Name}",
                VerdictText(s.Verdict),
                $"{Models(b)} → {Models(c)}",
                $"{Quality(b)} → {Quality(c)}",
                $"{Rate(b)} → {Rate(c)}",
                $"{b?.Placeholders.ToString(CultureInfo.InvariantCulture) ?? "–"} → {c?.Placeholders.ToString(CultureInfo.InvariantCulture) ?? "–"}",
                $"{Ms(b)} → {Ms(c)}{Delta(s.LatencyChangePercent)}",
                $"{Cost(b)} → {Cost(c)}{Delta(s.CostChangePercent)}");
        });

    private static string Title(EvaluationComparison c) => c.Phase is { } phase ? $"Phase {phase.ToString(CultureInfo.InvariantCulture)}" : "candidate";

    private static string GatesText(EvaluationGates g) =>
        $"Gates: quality ≥ {EvaluationComparer.Num(g.MinQuality)}, error rate < {EvaluationComparer.Pct(g.MaxErrorRate)}, placeholders ≤ {g.MaxPlaceholders}, "
        + $"cost per run ≤ baseline + {EvaluationComparer.Num(g.CostMarginPercent)} %, "
        + (g.LatencyMarginPercent is { } l ? $"latency ≤ baseline + {EvaluationComparer.Num(l)} %, " : "latency reported, ")
        + $"at least {g.MinRunsPerStage} runs per stage.";

    private static string VerdictText(Verdict v) => v switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        _ => "INCONCLUSIVE",
    };

    private static string VerdictClass(Verdict v) => v.ToString().ToLowerInvariant();

    private static string Models(StageMetrics? m) => m is null || m.Models.Count == 0 ? "–" : string.Join(", ", m.Models);

    private static string Quality(StageMetrics? m) => m?.QualityMean is { } q ? EvaluationComparer.Num(q) : "–";

    private static string Rate(StageMetrics? m) => m is null ? "–" : $"{EvaluationComparer.Pct(m.ErrorRate)} ({m.Errors}/{m.Runs})";

    private static string Ms(StageMetrics? m) => m is null || m.Runs == 0 ? "–" : EvaluationComparer.Num(m.LatencyMeanMs);

    private static string Cost(StageMetrics? m) => m is null || m.Runs == 0 ? "–" : EvaluationComparer.Usd(m.CostPerRun);

    private static string Delta(double? change) => change is { } d ? $" ({EvaluationComparer.Signed(d)} %)" : "";

    /// <summary>A table cell: no line breaks, pipes escaped, HTML neutralised (Markdown renderers pass raw HTML through).</summary>
    private static string Cell(string text) => Line(text).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>Backslash escapes (CommonMark) keep the raw Markdown readable: "R&D" stays as it is, while a tag or an
    /// entity cannot form.</summary>
    private static string Line(string text) =>
        EntityStart().Replace(text.ReplaceLineEndings(" ").Replace("\\", "\\\\", StringComparison.Ordinal), "\\&")
            .Replace("<", "\\<", StringComparison.Ordinal)
            .Replace(">", "\\>", StringComparison.Ordinal)
            .Replace("`", "\\`", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal)
            .Replace("]", "\\]", StringComparison.Ordinal);

    [GeneratedRegex("&(?=#?[A-Za-z0-9]+;)")]
    private static partial Regex EntityStart();
}
