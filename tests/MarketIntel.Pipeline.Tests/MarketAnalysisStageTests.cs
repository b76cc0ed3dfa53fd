using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.MarketAnalysis;

namespace MarketIntel.Pipeline.Tests;

public class MarketAnalysisStageTests
{
    private static readonly MarketAnalysisStage Stage = new();

    internal const string ValidOutput = """
    {
      "market_growth_rate": "11.2% annually (2024-2025)",
      "market_size_2024": "$4.8 billion",
      "market_size_2025_projected": "$5.3 billion",
      "bleeding_neck_problem": "High performers are invisible to the executives who decide promotions.",
      "purchasing_power": { "average_household_income": "$240,000", "discretionary_spending": "$15,000 a year on career development" },
      "targetability": {
        "platform_fit": "Strong on Instagram and Facebook through leadership and women-in-tech interests.",
        "targeting_interests": ["Lean In", "Women in Technology", "Harvard Business Review", "Executive education", "Sheryl Sandberg"],
        "targeting_behaviors": ["Engaged shoppers", "Frequent international travellers", "Technology early adopters"],
        "difficulty_score": 7
      },
      "top_20_percent": { "demographics": "Women 32-48 in senior engineering roles", "psychographics": "Ambitious and analytical", "characteristics": "Invest in their careers" },
      "power_4_percent": {
        "demographics": "Principal engineers and first-line directors at public tech companies",
        "psychographics": "Want a seat at the executive table within 18 months",
        "buying_frequency": "One programme a year plus renewals",
        "lifetime_value": "$48,000",
        "differentiation": "Already have sponsors in sight and budget approval from their employer"
      }
    }
    """;

    [Fact]
    public void A_complete_output_is_valid_with_full_score()
    {
        var result = Stage.Validate(ValidOutput, TestData.Input());

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(100, result.QualityScore);
        Assert.Equal(0, result.Metrics.PlaceholderCount);
    }

    [Theory]
    [InlineData("market_growth_rate")]
    [InlineData("market_size_2024")]
    [InlineData("market_size_2025_projected")]
    [InlineData("bleeding_neck_problem")]
    [InlineData("purchasing_power")]
    [InlineData("targetability")]
    [InlineData("top_20_percent")]
    [InlineData("power_4_percent")]
    public void Each_missing_top_level_field_is_an_error(string field)
    {
        var json = TestData.Mutate(ValidOutput, o => o.Remove(field));

        var result = Stage.Validate(json, TestData.Input());

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(100 - 10 * result.Errors.Count, result.QualityScore);
    }

    [Theory]
    [InlineData("top_20_percent", "characteristics")]
    [InlineData("power_4_percent", "lifetime_value")]
    [InlineData("purchasing_power", "discretionary_spending")]
    [InlineData("targetability", "platform_fit")]
    public void An_empty_nested_field_is_an_error(string parent, string field)
    {
        var json = TestData.Mutate(ValidOutput, o => o[parent]![field] = "   ");

        var result = Stage.Validate(json, TestData.Input());

        Assert.Contains($"{parent}.{field} is missing or empty.", result.Errors);
        Assert.Equal(1, result.Metrics.EmptyFieldCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Difficulty_outside_1_to_10_is_an_error(int score)
    {
        var json = TestData.Mutate(ValidOutput, o => o["targetability"]!["difficulty_score"] = score);

        var result = Stage.Validate(json, TestData.Input());

        Assert.Contains(result.Errors, e => e.StartsWith("targetability.difficulty_score must be between 1 and 10", StringComparison.Ordinal));
    }

    [Fact]
    public void Difficulty_as_text_is_a_type_error()
    {
        var json = TestData.Mutate(ValidOutput, o => o["targetability"]!["difficulty_score"] = "seven");

        var result = Stage.Validate(json, TestData.Input());

        Assert.Contains(result.Errors, e => e.StartsWith("targetability.difficulty_score must be integer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    public void Interest_count_outside_3_to_8_is_an_error(int count)
    {
        var json = TestData.Mutate(ValidOutput, o =>
            o["targetability"]!["targeting_interests"] = new JsonArray(Enumerable.Range(1, count).Select(i => (JsonNode)$"Interest {i}a").ToArray()));

        var result = Stage.Validate(json, TestData.Input());

        Assert.Contains($"targetability.targeting_interests must have 3-8 items, got {count}.", result.Errors);
    }

    [Theory]
    [InlineData("TBD")]
    [InlineData("[Insert market size]")]
    [InlineData("To be determined")]
    [InlineData("...")]
    public void A_placeholder_is_an_error_and_counted(string placeholder)
    {
        var json = TestData.Mutate(ValidOutput, o => o["bleeding_neck_problem"] = placeholder);

        var result = Stage.Validate(json, TestData.Input());

        Assert.False(result.IsValid);
        Assert.Equal(1, result.Metrics.PlaceholderCount);
        Assert.Contains(result.Errors, e => e.StartsWith("bleeding_neck_problem contains a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void A_size_without_a_figure_is_an_error()
    {
        var json = TestData.Mutate(ValidOutput, o => o["market_size_2024"] = "very large");

        var result = Stage.Validate(json, TestData.Input());

        Assert.Contains("market_size_2024 must contain a figure, got 'very large'.", result.Errors);
    }

    [Fact]
    public void Output_that_is_not_json_is_invalid_with_score_from_one_error()
    {
        var result = Stage.Validate("Here is your analysis: growth is strong.", TestData.Input());

        Assert.False(result.IsValid);
        Assert.Equal(90, result.QualityScore);
    }

    [Fact]
    public void The_schema_requires_every_field_and_carries_the_ranges()
    {
        var schema = Stage.ResponseSchema;

        var required = schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(8, required.Count);
        Assert.Contains("power_4_percent", required);
        var difficulty = schema["properties"]!["targetability"]!["properties"]!["difficulty_score"]!;
        Assert.Equal(1, difficulty["minimum"]!.GetValue<double>());
        Assert.Equal(10, difficulty["maximum"]!.GetValue<double>());
        Assert.Equal(3, schema["properties"]!["targetability"]!["properties"]!["targeting_interests"]!["minItems"]!.GetValue<int>());
    }

    [Fact]
    public void The_prompt_carries_the_profile_as_data_and_the_schema_when_asked()
    {
        var withSchema = Stage.BuildPrompt(TestData.Input(), new PromptOptions(SchemaInPrompt: true, FullResearchData: false));
        var withoutSchema = Stage.BuildPrompt(TestData.Input(), new PromptOptions(SchemaInPrompt: false, FullResearchData: false));

        Assert.Contains("Ashley Shaw Consulting", withSchema.User);
        Assert.Contains("<data name=\"business_profile\">", withSchema.User);
        Assert.Contains("\"difficulty_score\"", withSchema.User);
        Assert.DoesNotContain("\"difficulty_score\"", withoutSchema.User);
        Assert.NotNull(withoutSchema.ResponseSchema);
    }
}
