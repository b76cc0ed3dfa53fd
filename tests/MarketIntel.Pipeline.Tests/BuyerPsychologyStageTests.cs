using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.BuyerPsychology;

namespace MarketIntel.Pipeline.Tests;

public class BuyerPsychologyStageTests
{
    private static readonly BuyerPsychologyStage Stage = new();
    private static readonly StageInput Input = ResearchSamples.Input(1);

    private static Validation.ValidationResult Validate(Action<System.Text.Json.Nodes.JsonObject> change) =>
        Stage.Validate(TestData.Mutate(ResearchSamples.BuyerPsychology, change), Input);

    [Fact]
    public void A_complete_output_is_valid_with_full_score()
    {
        var result = Stage.Validate(ResearchSamples.BuyerPsychology, Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(100, result.QualityScore);
    }

    [Theory]
    [InlineData("buyer_language")]
    [InlineData("top_fears")]
    [InlineData("top_desires")]
    [InlineData("top_pain_points")]
    [InlineData("barriers")]
    [InlineData("price_justification")]
    [InlineData("top_fears[1].quote")]
    [InlineData("top_desires[0].willingness_to_pay")]
    [InlineData("top_pain_points[4].why_it_didnt_work")]
    [InlineData("barriers[0].objection_handling_script")]
    [InlineData("buyer_language[3].marketing_application")]
    public void A_missing_field_is_an_error(string path)
    {
        var result = Validate(o => TestData.Remove(o, path));

        Assert.Contains($"{path} is missing or empty.", result.Errors);
        Assert.Equal(100 - 5 * result.Errors.Count, result.QualityScore);
    }

    [Theory]
    [InlineData("buyer_language", 9, "must have 10-15 items")]
    [InlineData("buyer_language", 16, "must have 10-15 items")]
    [InlineData("top_fears", 2, "must have 3-5 items")]
    [InlineData("top_fears", 6, "must have 3-5 items")]
    [InlineData("top_desires", 2, "must have 3-5 items")]
    [InlineData("top_desires", 6, "must have 3-5 items")]
    [InlineData("top_pain_points", 4, "must have exactly 5 items")]
    [InlineData("top_pain_points", 6, "must have exactly 5 items")]
    [InlineData("barriers", 1, "must have 2-6 items")]
    [InlineData("barriers", 7, "must have 2-6 items")]
    public void Counts_are_enforced_both_ways(string path, int count, string message)
    {
        var result = Validate(o => TestData.Resize(o, path, count));

        Assert.Contains($"{path} {message}, got {count}.", result.Errors);
    }

    [Theory]
    [InlineData("buyer_language[0].emotional_tone", "anxious")]
    [InlineData("buyer_language[0].usage_frequency", "often")]
    [InlineData("top_pain_points[2].root_emotion", "sadness")]
    [InlineData("barriers[1].type", "both")]
    public void Values_outside_an_enum_are_errors(string path, string value)
    {
        var result = Validate(o => TestData.Set(o, path, value));

        Assert.Contains(result.Errors, e => e.StartsWith($"{path} must be one of", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("top_fears[0].intensity", 0)]
    [InlineData("top_fears[0].intensity", 11)]
    [InlineData("top_desires[2].intensity", 0)]
    [InlineData("top_desires[2].intensity", 11)]
    public void Intensity_outside_1_to_10_is_an_error(string path, int value)
    {
        var result = Validate(o => TestData.Set(o, path, value));

        Assert.Contains(result.Errors, e => e.StartsWith($"{path} must be between 1 and 10", StringComparison.Ordinal));
    }

    [Fact]
    public void A_surface_fear_flag_that_is_not_a_boolean_is_an_error()
    {
        var result = Validate(o => TestData.Set(o, "top_fears[0].is_surface_fear", "no"));

        Assert.Contains(result.Errors, e => e.StartsWith("top_fears[0].is_surface_fear must be boolean", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("top_fears[0].quote", "[Insert buyer quote]")]
    [InlineData("top_desires[1].aspirational_quote", "TBD")]
    [InlineData("buyer_language[5].exact_phrase", "...")]
    [InlineData("price_justification", "To be determined after research")]
    public void A_placeholder_is_an_error_and_counted(string path, string value)
    {
        var result = Validate(o => TestData.Set(o, path, value));

        Assert.Equal(1, result.Metrics.PlaceholderCount);
        Assert.Contains(result.Errors, e => e.StartsWith($"{path} contains a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeated_fear_names_are_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "top_fears[2].name", "being permanently stuck below director"));

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.StartsWith("top_fears repeats", StringComparison.Ordinal));
        Assert.Equal(98, result.QualityScore);
    }

    [Fact]
    public void Repeated_desire_names_are_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "top_desires[1].name", "Director title within 12 months"));

        Assert.Contains(result.Warnings, w => w.StartsWith("top_desires repeats", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_surface_fears_is_a_warning()
    {
        var result = Validate(o =>
        {
            foreach (var fear in o["top_fears"]!.AsArray())
            {
                fear!["is_surface_fear"] = true;
            }
        });

        Assert.Contains(result.Warnings, w => w.StartsWith("top_fears lists only surface fears", StringComparison.Ordinal));
    }

    [Fact]
    public void Barriers_of_one_type_only_are_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "barriers[1].type", "internal"));

        Assert.Contains(result.Warnings, w => w.StartsWith("barriers are all of one type", StringComparison.Ordinal));
    }

    [Fact]
    public void The_prompt_reads_the_nested_market_analysis()
    {
        var prompt = Stage.BuildPrompt(Input, new PromptOptions(SchemaInPrompt: true, FullResearchData: false));

        Assert.Contains("High performers are invisible to the executives who decide promotions.", prompt.User);
        Assert.Contains("Principal engineers and first-line directors at public tech companies", prompt.User);
        Assert.Contains("Want a seat at the executive table within 18 months", prompt.User);
        Assert.Contains("\"top_pain_points\"", prompt.User);
        Assert.DoesNotContain("N/A", prompt.User);
    }

    [Fact]
    public void The_schema_carries_the_counts_and_enums()
    {
        var properties = Stage.ResponseSchema["properties"]!;

        Assert.Equal(10, properties["buyer_language"]!["minItems"]!.GetValue<int>());
        Assert.Equal(15, properties["buyer_language"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(5, properties["top_pain_points"]!["minItems"]!.GetValue<int>());
        Assert.Equal(5, properties["top_pain_points"]!["maxItems"]!.GetValue<int>());
        var rootEmotion = properties["top_pain_points"]!["items"]!["properties"]!["root_emotion"]!["enum"]!.AsArray();
        Assert.Equal(["fear", "guilt", "overwhelm", "shame", "anger"], rootEmotion.Select(n => n!.GetValue<string>()));
        Assert.Contains("what_theyve_tried", properties["top_pain_points"]!["items"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }
}
