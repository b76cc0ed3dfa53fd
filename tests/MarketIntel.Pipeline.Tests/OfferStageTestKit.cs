using System.Text.Json.Nodes;
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
        TestData.OfferInput(extra, preferences);

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

    /// <summary>The list at <paramref name="path"/> resized to <paramref name="count"/> by copying or dropping its last item.</summary>
    public static void Resize(JsonObject root, string path, int count)
    {
        var array = path.Split('.').Aggregate((JsonNode)root, (node, key) => node[key]!).AsArray();
        while (array.Count > count)
        {
            array.RemoveAt(array.Count - 1);
        }
        while (array.Count < count)
        {
            array.Add(array[^1]!.DeepClone());
        }
    }
}
