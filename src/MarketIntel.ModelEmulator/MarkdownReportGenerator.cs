using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator;

/// <summary>
/// Writes a Markdown answer: the headings of the prompt's outline (its fenced <c>```markdown</c> block, whatever heading
/// it starts at) in order, paragraphs made from the prompt's data under each, the tables the outline asks for
/// (<c>&lt;!-- table: A | B; rows: 3 --&gt;</c>), and a length at the middle of the requested <c>Length: N-M words.</c>
/// range; a realistic model reaches only part of that length. Values the prompt lists for a table column or for a
/// section to quote go where it says. Without an outline it writes a few paragraphs.
/// </summary>
internal sealed partial class MarkdownReportGenerator(Random random, ProfileData profile, Realism? realism = null)
{
    private readonly TextComposer _text = new(random, profile);

    /// <summary>The most words in a free-text table cell, from the usual down to the tersest.</summary>
    private static readonly int[] CellWordLimits = [12, 7, 4, 2];

    /// <summary>Words of prose each heading needs at the least: about one sentence.</summary>
    private const int RoomPerHeading = 18;

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
        var listed = Follow(ParseListedValues(prompt));
        var headingWords = fixedWords;
        List<string?> tables = [];
        List<string?> quoted = [];
        // Tables and quotes are words the length counts too: when they leave too little room for a sentence under each
        // heading, the free-text cells are written more tersely, as a writer trims a table to stay inside the length.
        foreach (var cellWords in CellWordLimits)
        {
            var quotes = outline.Select(_ => new List<string>()).ToList();
            tables = outline.Select((h, i) => h.TableColumns is null ? null : Table(h, listed, quotes[i], cellWords)).ToList();
            foreach (var listing in listed.Where(l => l.Column is null))
            {
                if (FindHeading(outline, listing.Heading) is { } at)
                {
                    quotes[at].AddRange(listing.Values);
                }
            }
            quoted = quotes.Select(q => q.Count == 0 ? null : QuoteParagraph(q)).ToList();
            fixedWords = headingWords + tables.Sum(t => t is null ? 0 : CountWords(t)) + quoted.Sum(q => q is null ? 0 : CountWords(q));
            if (fixedWords + outline.Count * RoomPerHeading <= target)
            {
                break;
            }
        }

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
            if (quoted[i] is { } quote)
            {
                blocks[i].AppendLine(quote).AppendLine();
            }
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

    /// <summary>
    /// Values the prompt lists for the report to carry: those of a table's column, row by row ("In the table under
    /// "H", the "C" column holds, row by row, ...: [...]"), or those to quote or state in a section's text ("Under "H",
    /// quote each of these word for word: [...]"). Column is null for the second kind.
    /// </summary>
    internal sealed record Listing(string Heading, string? Column, IReadOnlyList<string> Values);

    internal static List<Listing> ParseListedValues(string prompt)
    {
        var listings = new List<Listing>();
        foreach (Match m in ColumnListing().Matches(prompt))
        {
            listings.Add(new Listing(m.Groups["heading"].Value, m.Groups["column"].Value, FieldInstructions.ListAfter(m.Groups["list"].Value)));
        }
        foreach (Match m in SectionListing().Matches(prompt))
        {
            listings.Add(new Listing(m.Groups["heading"].Value, null, FieldInstructions.ListAfter(m.Groups["list"].Value)));
        }
        // A re-ask repeats the prompt: the same instruction read twice is one instruction.
        return listings.Where(l => l.Values.Count > 0).DistinctBy(l => (l.Heading, l.Column, string.Join('\n', l.Values))).ToList();
    }

    /// <summary>The listings a realistic writer does not overlook; all of them otherwise.</summary>
    private List<Listing> Follow(List<Listing> listings) =>
        realism is null ? listings : listings.Where(_ => random.NextDouble() >= realism.InstructionMissRate).ToList();

    /// <summary>The first outline heading whose title, numbering aside, starts with the heading a listing names.</summary>
    private static int? FindHeading(List<Heading> outline, string heading)
    {
        var at = outline.FindIndex(h => Titled(h, heading));
        return at < 0 ? null : at;
    }

    /// <summary>Whether the outline heading is the one named, with or without its numbering ("3. Offer" or "3-Tier Pricing").</summary>
    private static bool Titled(Heading heading, string named) =>
        heading.Title.StartsWith(named.Trim(), StringComparison.OrdinalIgnoreCase)
        || LeadingNumber().Replace(heading.Title, "").Trim().StartsWith(named.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string QuoteParagraph(IEnumerable<string> values) =>
        "In the research's own words: " + string.Join("; ", values.Select(v => $"\"{v.Trim()}\"")) + ".";

    /// <summary>
    /// The heading's table: listed columns carry their values row by row, other cells are written fresh. Listed values
    /// beyond the rows the outline asks for go into <paramref name="overflow"/>, to be quoted in the section's text.
    /// </summary>
    private string Table(Heading heading, List<Listing> listed, List<string> overflow, int cellWords)
    {
        var columns = heading.TableColumns!;
        var given = columns
            .Select(column => listed.FirstOrDefault(l => l.Column is { } c && string.Equals(c, column, StringComparison.OrdinalIgnoreCase)
                && Titled(heading, l.Heading))?.Values)
            .ToList();
        foreach (var values in given.OfType<IReadOnlyList<string>>())
        {
            overflow.AddRange(values.Skip(heading.TableRows));
        }
        var table = new StringBuilder();
        table.Append("| ").AppendJoin(" | ", columns).AppendLine(" |");
        table.Append('|').AppendJoin('|', columns.Select(_ => " --- ")).AppendLine("|");
        for (var row = 0; row < heading.TableRows; row++)
        {
            var cells = columns.Select((column, c) => given[c] is { } values && row < values.Count
                ? values[row].Replace('|', '/').Trim()
                : Cell(column, c, row, cellWords));
            table.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }
        return table.ToString().TrimEnd();
    }

    private string Cell(string column, int columnIndex, int row, int maxWords)
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
        text = TextComposer.ShortPhrase(text.Replace('|', '/'), maxWords);
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

    [GeneratedRegex(@"In the table under ""(?<heading>[^""\n]+)"", the ""(?<column>[^""\n]+)"" column [^\n]*?:\s*(?<list>\[[^\n]*\])", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnListing();

    [GeneratedRegex(@"\bUnder ""(?<heading>[^""\n]+)"", [^\n]*?:\s*(?<list>\[[^\n]*\])", RegexOptions.CultureInvariant)]
    private static partial Regex SectionListing();

    [GeneratedRegex(@"^\s*\d+(?:\.\d+)*\.?\s*", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingNumber();
}
