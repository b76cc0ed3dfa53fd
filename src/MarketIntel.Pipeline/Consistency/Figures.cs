using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketIntel.Pipeline.Consistency;

/// <summary>
/// Reads the figures models write as text ("$4.8 billion", "$180k-$350k", "11.2% annually", "32-48",
/// "3 monthly payments of $9,200") so rules can compare them with the numbers of other fields and stages.
/// </summary>
public static partial class Figures
{
    private const string AmountPattern = @"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(billion|bn|b|million|mn|m|thousand|k)\b)?";

    [GeneratedRegex(AmountPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Amount();

    [GeneratedRegex(AmountPattern + @"\s*(?:-|–|to)\s*" + AmountPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AmountRange();

    [GeneratedRegex(@"(-?\d+(?:\.\d+)?)\s*%", RegexOptions.CultureInvariant)]
    private static partial Regex Percent();

    // Two-digit ages joined by a dash or "to"; not part of a larger number, a dollar amount or a percentage.
    [GeneratedRegex(@"(?<![\d$.,])(\d{2})\s*(?:-|–|to)\s*(\d{2})(?!\d|[,.]\d|\s*%|k\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AgeRange();

    [GeneratedRegex(@"^\D*(\d{2})(?!\d)\D*$", RegexOptions.CultureInvariant)]
    private static partial Regex SingleAge();

    [GeneratedRegex(@"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:[a-z-]+\s+){0,2}(?:payments?|instal{1,2}ments?)\s+of\s+" + AmountPattern,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Instalments();

    private static readonly string[] CountWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    /// <summary>Every dollar amount in <paramref name="text"/>, in order, with "k", "million" and "billion" applied.</summary>
    public static IReadOnlyList<decimal> Amounts(string? text) =>
        text is null ? [] : Amount().Matches(text).Select(m => Value(m.Groups[1], m.Groups[2], m.Groups[3])).ToList();

    /// <summary>The first dollar amount, or null when there is none.</summary>
    public static decimal? FirstAmount(string? text) => Amounts(text) is [var first, ..] ? first : null;

    /// <summary>The first range of two dollar amounts ("$180k-$350k", "$90,000 to $120,000"), lower first.</summary>
    public static (decimal Min, decimal Max)? AmountRangeIn(string? text)
    {
        if (text is null || AmountRange().Match(text) is not { Success: true } m)
        {
            return null;
        }
        var (a, b) = (Value(m.Groups[1], m.Groups[2], m.Groups[3]), Value(m.Groups[4], m.Groups[5], m.Groups[6]));
        return (Math.Min(a, b), Math.Max(a, b));
    }

    /// <summary>Every percentage in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<decimal> Percents(string? text) =>
        text is null ? [] : Percent().Matches(text).Select(m => decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>The first percentage ("11.2% annually" gives 11.2), or null.</summary>
    public static decimal? PercentIn(string? text) => Percents(text) is [var first, ..] ? first : null;

    /// <summary>An age range such as "32-48" or "35 to 50" in a segment's description; null when none is stated.</summary>
    public static (int Min, int Max)? AgeRangeIn(string? text)
    {
        if (text is null)
        {
            return null;
        }
        foreach (Match m in AgeRange().Matches(text))
        {
            var (min, max) = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            if (min >= 16 && min < max)
            {
                return (min, max);
            }
        }
        return null;
    }

    /// <summary>An age as the avatar states it: "38", "38 years old" or a narrow range "36-40".</summary>
    public static (int Min, int Max)? AgeOf(string? text)
    {
        if (AgeRangeIn(text) is { } range)
        {
            return range;
        }
        return text is not null && SingleAge().Match(text) is { Success: true } m
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>
    /// What a payment plan's text says is paid in total: "3 monthly payments of $9,200" is $27,600; a text with one
    /// amount and no instalments ("One payment of $22,500, saving 10%") is that amount. Null when the text says neither.
    /// </summary>
    public static decimal? PlanTotal(string? structure)
    {
        if (structure is null)
        {
            return null;
        }
        if (Instalments().Match(structure) is { Success: true } m)
        {
            var count = Array.IndexOf(CountWords, m.Groups[1].Value.ToLowerInvariant()) is var i and >= 0
                ? i + 1
                : int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return count * Value(m.Groups[2], m.Groups[3], m.Groups[4]);
        }
        return Amounts(structure) is [var single] ? single : null;
    }

    /// <summary>A dollar amount for messages: "$4.8 billion", "$480 million", "$25,000".</summary>
    public static string Money(decimal amount) => Math.Abs(amount) switch
    {
        >= 1_000_000_000 => $"${(amount / 1_000_000_000).ToString("0.##", CultureInfo.InvariantCulture)} billion",
        >= 1_000_000 => $"${(amount / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture)} million",
        _ => amount.ToString("$#,0.##", CultureInfo.InvariantCulture),
    };

    private static decimal Value(Group whole, Group fraction, Group scale)
    {
        var number = decimal.Parse(whole.Value.Replace(",", "", StringComparison.Ordinal) + fraction.Value, CultureInfo.InvariantCulture);
        return number * scale.Value.ToLowerInvariant() switch
        {
            "billion" or "bn" or "b" => 1_000_000_000m,
            "million" or "mn" or "m" => 1_000_000m,
            "thousand" or "k" => 1_000m,
            _ => 1m,
        };
    }
}
