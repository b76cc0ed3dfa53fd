using System.Text.RegularExpressions;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>
/// Just enough Markdown reading for the report rules: a section's text by its heading, the first table in it, and text
/// normalised so a quote still matches when the report changes only its typography (curly quotes, emphasis, spacing).
/// </summary>
public static partial class ReportText
{
    [GeneratedRegex(@"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"<!--.*?-->|[*_`]")]
    private static partial Regex Markup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();

    /// <summary>The lines under the first heading whose text starts with <paramref name="title"/>, up to the next heading of its level or above.</summary>
    public static IReadOnlyList<string>? Section(string report, string title)
    {
        var lines = report.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var wanted = Normalize(title);
        for (var i = 0; i < lines.Length; i++)
        {
            if (Heading().Match(lines[i].Trim()) is not { Success: true } m || !Normalize(m.Groups[2].Value).StartsWith(wanted, StringComparison.Ordinal))
            {
                continue;
            }
            var level = m.Groups[1].Length;
            var end = i + 1;
            while (end < lines.Length && !(Heading().Match(lines[end].Trim()) is { Success: true } next && next.Groups[1].Length <= level))
            {
                end++;
            }
            return lines[(i + 1)..end];
        }
        return null;
    }

    /// <summary>The cells of <paramref name="column"/> in the first table of <paramref name="section"/>; null without such a table.</summary>
    public static IReadOnlyList<string>? Column(IReadOnlyList<string> section, string column)
    {
        for (var i = 0; i + 1 < section.Count; i++)
        {
            if (!IsRow(section[i]) || !Separator().IsMatch(section[i + 1].Trim()))
            {
                continue;
            }
            var at = Cells(section[i]).FindIndex(c => Normalize(c) == Normalize(column));
            if (at < 0)
            {
                return null;
            }
            return section.Skip(i + 2).TakeWhile(IsRow).Select(Cells).Select(r => at < r.Count ? r[at] : "").ToList();
        }
        return null;
    }

    /// <summary>Lower case, straight quotes and apostrophes, no emphasis or comments, single spaces.</summary>
    public static string Normalize(string text) =>
        Blanks().Replace(Markup().Replace(text, "")
                .Replace('’', '\'').Replace('‘', '\'').Replace('“', '"').Replace('”', '"'), " ")
            .Trim().ToLowerInvariant();

    /// <summary>Whether <paramref name="report"/> contains <paramref name="quote"/> word for word, closing punctuation aside.</summary>
    public static bool Quotes(string report, string quote)
    {
        var wanted = Normalize(quote).TrimEnd('.', '!', '?', ',', ';', ':').Trim('"', '\'');
        return wanted.Length == 0 || Normalize(report).Contains(wanted, StringComparison.Ordinal);
    }

    private static bool IsRow(string line) => line.TrimStart().StartsWith('|');

    private static List<string> Cells(string row)
    {
        var trimmed = row.Trim();
        trimmed = trimmed.StartsWith('|') ? trimmed[1..] : trimmed;
        trimmed = trimmed.EndsWith('|') ? trimmed[..^1] : trimmed;
        return trimmed.Split('|').Select(c => c.Trim()).ToList();
    }
}
