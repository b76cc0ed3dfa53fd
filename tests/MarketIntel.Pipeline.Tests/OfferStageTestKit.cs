using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Tests;

/// <summary>Assertions the offer stage tests share.</summary>
internal static class OfferStageTestKit
{
    public static readonly PromptOptions Condensed = new(SchemaInPrompt: false, FullResearchData: false);

    /// <summary>
    /// An offer stage's input in a complete, consistent job: the research, the offer preferences and the valid samples of
    /// the offer stages others read (8, 9, 11), plus <paramref name="extra"/> outputs, which replace those of their stage.
    /// </summary>
    public static StageInput PromptInput(IReadOnlyDictionary<int, string>? extra = null, OfferPreferences? preferences = null) =>
        TestData.OfferInput(
            ResearchSamples.Outputs(5)
                .Concat(new Dictionary<int, string>
                {
                    [8] = ValueStackStageTests.ValidOutput,
                    [9] = PricingFrameworkStageTests.ValidOutput,
                    [11] = PremiumBonusesStageTests.ValidOutput,
                })
                .Concat(extra ?? new Dictionary<int, string>())
                .GroupBy(p => p.Key)
                .ToDictionary(g => g.Key, g => g.Last().Value),
            preferences);

    /// <summary>The input every offer stage validates against in these tests: <see cref="PromptInput"/> of a complete job.</summary>
    public static StageInput Job(OfferPreferences? preferences = null) => PromptInput(preferences: preferences);

    public static void AssertPerfect(ValidationResult result)
    {
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(100, result.QualityScore);
    }

    public static void AssertError(ValidationResult result, string startsWith)
    {
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith(startsWith, StringComparison.Ordinal));
    }

    /// <summary>A warning never makes an output invalid; it only costs score.</summary>
    public static void AssertOnlyWarning(ValidationResult result, string contains, int weight)
    {
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Contains(result.Warnings, w => w.Contains(contains, StringComparison.Ordinal));
        Assert.Equal(100 - weight * result.Warnings.Count, result.QualityScore);
    }
}
