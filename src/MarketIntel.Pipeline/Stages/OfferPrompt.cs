using System.Globalization;
using MarketIntel.Pipeline.Profiles;

namespace MarketIntel.Pipeline.Stages;

/// <summary>Formatting shared by the offer stages' prompts (7-13) and their validators' messages.</summary>
internal static class OfferPrompt
{
    public static string Money(decimal amount) => amount.ToString("$#,0.##", CultureInfo.InvariantCulture);

    public static string Range(PriceRange range) => $"{Money(range.Min)} - {Money(range.Max)}";

    /// <summary>Form values such as maximize_conversion_rate, as words; "none" when the user chose nothing.</summary>
    public static string Words(IEnumerable<string> values)
    {
        var list = values.Select(v => v.Replace('_', ' ')).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    /// <summary>True when two amounts agree to the dollar (models round; sums of whole dollars should still match).</summary>
    public static bool SameDollars(decimal a, decimal b) => Math.Abs(a - b) <= 1m;
}
