using System.Globalization;
using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Prompts;

namespace MarketIntel.Pipeline.Stages;

/// <summary>Formatting and checks shared by the offer stages (7-13): prompts, content rules and their messages.</summary>
internal static class OfferStages
{
    /// <summary>The research every offer stage works from: the condensed digest for 24K models, everything otherwise.</summary>
    public static void Research(PromptWriter prompt, StageInput input, PromptOptions options)
    {
        prompt.Heading("Market research (stages 1-5)");
        if (options.FullResearchData)
        {
            prompt.DataJson("research", ResearchDigest.Full(input));
        }
        else
        {
            prompt.DataText("research", ResearchDigest.Condensed(input));
        }
    }

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
