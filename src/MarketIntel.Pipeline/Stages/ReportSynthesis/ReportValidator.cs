using System.Text.RegularExpressions;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Stages.ReportSynthesis;

/// <summary>
/// Judges a stage 6 report against its outline: the H1 first, every heading in order, no empty leaf section, each
/// required table with its header and rows, the word count, and no placeholders. The original validated the report as
/// a JSON object and so always failed it (docs/domain.md §3.6, §9 D3).
/// </summary>
public static partial class ReportValidator
{
    public const int MinWords = 5000;
    public const int MaxWords = 6000;

    [GeneratedRegex(@"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"<!--.*?-->")]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’.,/-][\p{L}\p{N}]+)*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")]
    private static partial Regex SeparatorPattern();

    /// <summary>Words as a reader counts them: "$25,000", "5,000-6,000" and "don't" are one word each; markup is none.</summary>
    public static int CountWords(string text) => WordPattern().Count(text);

    /// <summary>Checks <paramref name="content"/> against <paramref name="outline"/>, the whole report's or one part's;
    /// <paramref name="subject"/> names it in the messages.</summary>
    public static void Validate(string content, IReadOnlyList<ReportSection> outline, ValidationBuilder result, string subject = "The report")
    {
        var lines = content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headings = Headings(lines);

        var first = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "";
        if (HeadingPattern().Match(first) is not { Success: true } title
            || title.Groups[1].Length != outline[0].Level
            || !Matches(title.Groups[2].Value, outline[0]))
        {
            result.Error($"{subject} must start with \"{outline[0].Heading}\".");
        }

        // Walk the outline and the report's headings together: each outline heading must appear after the previous one.
        var found = new Dictionary<ReportSection, int>();
        var next = 0;
        foreach (var section in outline)
        {
            var at = headings.FindIndex(next, h => h.Level == section.Level && Matches(h.Text, section));
            if (at < 0)
            {
                result.Error($"Heading \"{section.Heading}\" is missing or out of order.");
                continue;
            }
            found[section] = at;
            next = at + 1;
        }
        result.FieldCount = found.Count;

        for (var i = 0; i < outline.Count; i++)
        {
            if (!found.TryGetValue(outline[i], out var at))
            {
                continue;
            }
            var body = Body(lines, headings, at);
            var isLeaf = i + 1 == outline.Count || outline[i + 1].Level <= outline[i].Level;
            if (isLeaf && CountWords(string.Join('\n', body)) == 0)
            {
                result.Empty($"Section \"{outline[i].Heading}\"");
            }
            if (outline[i].Table is { } table)
            {
                CheckTable(body, outline[i], table, result);
            }
        }

        foreach (var placeholder in PlaceholderDetector.FindAll(content))
        {
            result.Placeholder(subject, placeholder);
        }
    }

    /// <summary>H1 and H2 headings that are not in <paramref name="outline"/>: in one part of the report, a sign the
    /// model wrote the title or another part as well.</summary>
    public static IEnumerable<string> ForeignTopHeadings(string content, IReadOnlyList<ReportSection> outline) =>
        Headings(content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            .Where(h => h.Level <= 2 && !outline.Any(s => s.Level == h.Level && Matches(h.Text, s)))
            .Select(h => $"{new string('#', h.Level)} {h.Text}");

    private static void CheckTable(IReadOnlyList<string> body, ReportSection section, ReportTable table, ValidationBuilder result)
    {
        var where = $"under \"{section.Heading}\"";
        var start = -1;
        for (var i = 0; i + 1 < body.Count; i++)
        {
            if (IsTableRow(body[i]) && SeparatorPattern().IsMatch(body[i + 1].Trim()))
            {
                start = i;
                break;
            }
        }
        if (start < 0)
        {
            result.Error($"The table \"{table.Header}\" {where} is missing.");
            return;
        }

        var header = Cells(body[start]);
        if (!header.Select(Normalize).SequenceEqual(table.Columns.Select(Normalize)))
        {
            result.Error($"The table {where} must have the columns \"{table.Header}\", got \"{string.Join(" | ", header)}\".");
            return;
        }

        var rows = body.Skip(start + 2).TakeWhile(IsTableRow).Select(Cells).ToList();
        if (rows.Count < table.Rows)
        {
            result.Error($"The table {where} must have {table.Rows} rows, got {rows.Count}.");
        }
        else if (rows.Count > table.Rows)
        {
            result.Warning($"The table {where} has {rows.Count} rows; {table.Rows} were asked for.");
        }
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Count != table.Columns.Count || rows[r].Any(c => CountWords(c) == 0))
            {
                result.Error($"Row {r + 1} of the table {where} is incomplete.");
            }
        }
    }

    private sealed record Heading(int Line, int Level, string Text);

    /// <summary>ATX headings outside fenced code blocks.</summary>
    private static List<Heading> Headings(string[] lines)
    {
        var headings = new List<Heading>();
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (!fenced && HeadingPattern().Match(line) is { Success: true } match)
            {
                headings.Add(new Heading(i, match.Groups[1].Length, match.Groups[2].Value));
            }
        }
        return headings;
    }

    /// <summary>The lines between a heading and the next one.</summary>
    private static List<string> Body(string[] lines, List<Heading> headings, int index)
    {
        var from = headings[index].Line + 1;
        var to = index + 1 < headings.Count ? headings[index + 1].Line : lines.Length;
        return lines[from..to].ToList();
    }

    /// <summary>Same heading, tolerating emphasis, a copied table comment, case, and a short suffix such as " (3)".</summary>
    private static bool Matches(string text, ReportSection section)
    {
        var actual = Normalize(text);
        var expected = Normalize(section.Title);
        return actual == expected
            || (actual.StartsWith(expected, StringComparison.Ordinal) && !char.IsLetterOrDigit(actual[expected.Length]));
    }

    private static string Normalize(string text) =>
        string.Join(' ', CommentPattern().Replace(text, "")
            .Replace("**", "", StringComparison.Ordinal)
            .Replace("__", "", StringComparison.Ordinal)
            .Replace("`", "", StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        .ToLowerInvariant();

    private static bool IsTableRow(string line) => line.TrimStart().StartsWith('|');

    private static List<string> Cells(string row)
    {
        var trimmed = row.Trim();
        if (trimmed.StartsWith('|'))
        {
            trimmed = trimmed[1..];
        }
        if (trimmed.EndsWith('|'))
        {
            trimmed = trimmed[..^1];
        }
        return trimmed.Split('|').Select(c => c.Trim()).ToList();
    }
}
