using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Writes a Markdown answer: the headings of the prompt's outline (its fenced <c>```markdown</c> block, whatever heading
/// it starts at) in order, paragraphs made from the prompt's data under each, the tables the outline asks for
/// (<c>&lt;!-- table: A | B; rows: 3 --&gt;</c>), and a length at the middle of the requested <c>Length: N-M words.</c>
/// range; a realistic model reaches only part of that length. Without an outline it writes a few paragraphs.
/// </summary>
internal sealed partial class MarkdownReportGenerator(Random random, ProfileData profile, Realism? realism = null)
{
    private readonly TextComposer _text = new(random, profile);

    internal sealed record Heading(int Level, string Title, IReadOnlyList<string>? TableColumns, int TableRows);

    public string Generate(string prompt)
    {
        var outline = ParseOutline(prompt);
        var (minWords, maxWords) = ParseLength(prompt) ?? (outline.Count > 0 ? (1500, 2000) : (120, 180));
        var target = (minWords + maxWords) / 2;
        if (realism is not null)
        {
            // Real models stop well short of a long ask; a little noise keeps two answers from matching to the word.
            target = (int)Math.Round(target * realism.WordFraction(target) * (0.92 + random.NextDouble() * 0.16));
        }
        if (outline.Count == 0)
        {
            outline = [new Heading(0, "", null, 0)];
        }

        var blocks = outline.Select(h => new StringBuilder()).ToList();
        var fixedWords = 0;
        for (var i = 0; i < outline.Count; i++)
        {
            if (outline[i].Level > 0)
            {
                blocks[i].Append('#', outline[i].Level).Append(' ').AppendLine(outline[i].Title).AppendLine();
                fixedWords += CountWords(outline[i].Title);
            }
        }
        var tables = outline.Select(h => h.TableColumns is null ? null : Table(h.TableColumns, h.TableRows)).ToList();
        fixedWords += tables.Sum(t => t is null ? 0 : CountWords(t));

        var bodyTarget = Math.Max(target - fixedWords, outline.Count * 8);
        var written = 0;
        var facts = profile.Values.ToList();
        var factIndex = random.Next(Math.Max(1, facts.Count));
        // Walking through the sentences in turn keeps neighbouring sentences different.
        var pick = random.Next(1000);
        for (var i = 0; i < outline.Count; i++)
        {
            var quota = (int)Math.Round(bodyTarget * (i + 1.0) / outline.Count) - written;
            var subject = Subject(outline[i].Title);
            var paragraph = new List<string>();
            var sectionWords = 0;
            do
            {
                string sentence;
                if (facts.Count > 0 && random.Next(3) == 0)
                {
                    var (label, value) = facts[factIndex++ % facts.Count];
                    sentence = FactSentence(label, value);
                }
                else
                {
                    sentence = _text.Sentence(subject, pick++);
                }
                var words = CountWords(sentence);
                if (sectionWords > 0 && sectionWords + words > quota + words / 2)
                {
                    break;
                }
                paragraph.Add(sentence);
                sectionWords += words;
                if (paragraph.Count == 5)
                {
                    blocks[i].AppendLine(string.Join(' ', paragraph)).AppendLine();
                    paragraph.Clear();
                }
            }
            while (sectionWords < quota);
            if (paragraph.Count > 0)
            {
                blocks[i].AppendLine(string.Join(' ', paragraph)).AppendLine();
            }
            written += sectionWords;
            if (tables[i] is { } table)
            {
                blocks[i].AppendLine(table).AppendLine();
            }
        }
        return string.Concat(blocks.Select(b => b.ToString())).TrimEnd() + "\n";
    }

    /// <summary>The headings of the prompt's fenced markdown block (the last one: a re-ask repeats the prompt), with their table requests.</summary>
    internal static List<Heading> ParseOutline(string prompt)
    {
        var headings = new List<Heading>();
        var fence = OutlineFence().Matches(prompt).LastOrDefault() ?? Match.Empty;
        if (!fence.Success)
        {
            return headings;
        }
        foreach (var raw in fence.Groups["body"].Value.Split('\n'))
        {
            var match = HeadingLine().Match(raw.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }
            IReadOnlyList<string>? columns = null;
            var rows = 0;
            if (match.Groups["comment"].Success && TableComment().Match(match.Groups["comment"].Value) is { Success: true } table)
            {
                columns = table.Groups["columns"].Value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                rows = table.Groups["rows"].Success ? int.Parse(table.Groups["rows"].Value, CultureInfo.InvariantCulture) : 3;
            }
            headings.Add(new Heading(match.Groups["hashes"].Value.Length, match.Groups["title"].Value.Trim(), columns, rows));
        }
        return headings;
    }

    internal static (int Min, int Max)? ParseLength(string prompt)
    {
        var match = LengthLine().Match(prompt);
        if (!match.Success)
        {
            return null;
        }
        var min = int.Parse(match.Groups["min"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var max = int.Parse(match.Groups["max"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return min <= max ? (min, max) : (max, min);
    }

    /// <summary>Words as a reader counts them: runs of text holding a letter or digit (not table pipes or rules).</summary>
    public static int CountWords(string text) => WordToken().Count(text);

    private string Table(IReadOnlyList<string> columns, int rows)
    {
        var table = new StringBuilder();
        table.Append("| ").AppendJoin(" | ", columns).AppendLine(" |");
        table.Append('|').AppendJoin('|', columns.Select(_ => " --- ")).AppendLine("|");
        for (var row = 0; row < rows; row++)
        {
            var cells = columns.Select((column, c) => Cell(column, c, row));
            table.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }
        return table.ToString().TrimEnd();
    }

    private string Cell(string column, int columnIndex, int row)
    {
        var tokens = TextComposer.Tokens(column);
        string text;
        if (columnIndex == 0 && (tokens.Contains("competitor") || tokens.Contains("company") || tokens.Contains("brand")))
        {
            text = _text.CompanyName(row + random.Next(3));
        }
        else if (columnIndex == 0 && (tokens.Contains("tier") || tokens.Contains("plan") || tokens.Contains("offer") || tokens.Contains("bonus")))
        {
            text = _text.OfferName(row);
        }
        else
        {
            text = _text.Compose(column, ["table"], row);
        }
        text = TextComposer.ShortPhrase(text.Replace('|', '/'), 12);
        return text.Length == 0 ? column : text;
    }

    private static string FactSentence(string label, string value)
    {
        var phrase = TextComposer.ShortPhrase(value, 18);
        return $"For {label.ToLowerInvariant()}, the data we gathered gives {phrase}.";
    }

    private static string Subject(string title)
    {
        var text = LeadingNumber().Replace(title, "");
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            text = text[..colon];
        }
        text = text.Trim().ToLowerInvariant();
        return text.Length == 0 ? "market opportunity" : text;
    }

    [GeneratedRegex(@"```markdown[ \t]*\r?\n(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OutlineFence();

    [GeneratedRegex(@"^\s*(?<hashes>#{1,6})\s+(?<title>.*?)\s*(?:<!--(?<comment>.*?)-->)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"table\s*:\s*(?<columns>[^;]+?)\s*(?:;\s*rows\s*:\s*(?<rows>\d+))?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TableComment();

    [GeneratedRegex(@"Length:\s*(?<min>\d[\d,]*)\s*(?:-|–|—|to)\s*(?<max>\d[\d,]*)\s*words", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LengthLine();

    [GeneratedRegex(@"[^\s|]*[\p{L}\p{N}][^\s|]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordToken();

    [GeneratedRegex(@"^\s*\d+(?:\.\d+)*\.?\s*", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingNumber();
}
