using System.Text.RegularExpressions;

namespace MarketIntel.Pipeline.Validation;

/// <summary>
/// Finds template gaps a model left in its answer. Fixes the original's detector (docs/domain.md §3.2, §9 D3): every check is
/// stateless (no global-flag regex, so the same text always gives the same answer), bare TBD/TODO count, and a legitimate
/// ellipsis in prose does not — only a value that is nothing but an ellipsis, or a bracketed "[...]", does. Bracketed
/// Title-Case phrases of one to four words ("[Offer Name]", "[Your Company]") are template slots too, unless they are the
/// text of a markdown link.
/// </summary>
public static partial class PlaceholderDetector
{
    [GeneratedRegex(
        """
        (?i:\[\s*(?:insert|add)\s[^\]]*\])      # [Insert name], [Add details]
        | (?i:\[\s*(?:todo|tbd|placeholder|fill\s+in|details|\.\.\.|…)\s*\])
        | \b(?:TBD|TODO|TBA)\b                  # bare markers, case-sensitive on purpose: "todo" can be an ordinary word
        | (?i:\bto\s+be\s+(?:determined|decided|confirmed)\b)
        | (?i:\bcoming\s+soon\b)
        | (?i:\blorem\s+ipsum\b)
        | \[[A-Z][a-z]+(?:\s[A-Z][a-z]+)*\s\d+\](?!\()   # [Fear 2], [Buyer Quote 1]; not a markdown link
        | \[[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3}\](?![(\[])  # [Offer Name], [Your Company]; not a markdown link
                                                # "[text](url)" or "[text][ref]"; "[x]" and "[ ]" never match
        | \{\{?\s*[a-z_]+\s*\}?\}               # {business_name}, {{avatar}}
        | \$X(?:,XXX|XX)+\b | \bXX%               # $X,XXX or XX%
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^\s*(?:\.{3,}|…)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EllipsisOnly();

    public static bool HasPlaceholder(string? text) => FindPlaceholder(text) is not null;

    /// <summary>The first placeholder found, for an error message that says what was wrong.</summary>
    public static string? FindPlaceholder(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (EllipsisOnly().IsMatch(text))
        {
            return text.Trim();
        }
        var match = PlaceholderPattern().Match(text);
        return match.Success ? match.Value : null;
    }

    /// <summary>Every placeholder in a long text (the stage 6 report), in order of appearance.</summary>
    public static IReadOnlyList<string> FindAll(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Value).ToList();
}
