using MarketIntel.Pipeline.Profiles;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Validation;

namespace MarketIntel.Pipeline.Tests;

/// <summary>Assertions the offer stage tests share.</summary>
internal static class OfferStageTestKit
{
    public static readonly PromptOptions Condensed = new(SchemaInPrompt: false, FullResearchData: false);

    /// <summary>An offer stage's input with everything its prompt reads, plus <paramref name="extra"/> outputs.</summary>
    public static StageInput PromptInput(IReadOnlyDictionary<int, string>? extra = null, OfferPreferences? preferences = null) =>
        TestData.OfferInput(ResearchSamples.Outputs(5).Concat(extra ?? new Dictionary<int, string>()).ToDictionary(), preferences);

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
