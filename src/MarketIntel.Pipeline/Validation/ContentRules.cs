using System.Text.RegularExpressions;

namespace MarketIntel.Pipeline.Validation;

/// <summary>Small content checks that several stage validators share.</summary>
public static partial class ContentRules
{
    [GeneratedRegex(@"\S+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\d")]
    private static partial Regex DigitPattern();

    public static int WordCount(string? text) => string.IsNullOrWhiteSpace(text) ? 0 : WordPattern().Count(text);

    public static bool HasFigure(string? text) => text is not null && DigitPattern().IsMatch(text);

    /// <summary>Values that occur more than once, compared trimmed and case-insensitively; blanks are the schema's job.</summary>
    public static IReadOnlyList<string> Repeats(IEnumerable<string> values) =>
        values
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .GroupBy(v => v.Trim(), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();

    public static string Quote(IEnumerable<string> values) => $"'{string.Join("', '", values.Select(v => FieldRules.Truncate(v)))}'";

    /// <summary>A repeated item in a list that should hold distinct ideas is a lost item: worth a warning.</summary>
    public static void WarnOnRepeats(ValidationBuilder result, string path, IEnumerable<string> values)
    {
        if (Repeats(values) is { Count: > 0 } repeated)
        {
            result.Warning($"{path} repeats {Quote(repeated)}.");
        }
    }
}
