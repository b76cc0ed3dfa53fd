using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.AvatarCreation;

namespace MarketIntel.Pipeline.Tests;

public class AvatarCreationStageTests
{
    private static readonly AvatarCreationStage Stage = new();
    private static readonly StageInput Input = ResearchSamples.Input(3);

    private static Validation.ValidationResult Validate(Action<JsonObject> change) =>
        Stage.Validate(TestData.Mutate(ResearchSamples.AvatarCreation, change), Input);

    [Fact]
    public void A_complete_output_is_valid_with_full_score()
    {
        var result = Stage.Validate(ResearchSamples.AvatarCreation, Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(100, result.QualityScore);
    }

    [Theory]
    [InlineData("avatar_name")]
    [InlineData("demographics")]
    [InlineData("psychographics")]
    [InlineData("day_in_life")]
    [InlineData("buying_triggers")]
    [InlineData("online_communities")]
    [InlineData("top_3_hopes")]
    [InlineData("top_3_fears")]
    [InlineData("top_3_barriers")]
    [InlineData("recommended_tone")]
    [InlineData("price_sensitivity")]
    [InlineData("price_sensitivity_justification")]
    [InlineData("demographics.age_range")]
    [InlineData("demographics.household_income")]
    [InlineData("demographics.geographic_location")]
    [InlineData("demographics.profession_industry")]
    [InlineData("demographics.family_status")]
    [InlineData("demographics.education")]
    [InlineData("psychographics.beliefs_about_niche")]
    [InlineData("day_in_life.weekend_routine")]
    [InlineData("buying_triggers.decision_making_windows")]
    [InlineData("online_communities[1].trust_factor")]
    [InlineData("top_3_barriers[2].solution")]
    public void A_missing_field_is_an_error(string path)
    {
        var result = Validate(o => TestData.Remove(o, path));

        Assert.Contains($"{path} is missing or empty.", result.Errors);
        Assert.Equal(100 - 5 * result.Errors.Count - 2 * result.Warnings.Count, result.QualityScore);
    }

    [Fact]
    public void The_community_url_is_optional()
    {
        var result = Validate(o => TestData.Remove(o, "online_communities[1].url"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(100, result.QualityScore);
    }

    [Fact]
    public void A_community_url_that_is_not_a_web_address_is_an_error()
    {
        var result = Validate(o => TestData.Set(o, "online_communities[0].url", "rands leadership slack"));

        Assert.Contains(result.Errors, e => e.StartsWith("online_communities[0].url must be an http(s) address", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("psychographics.core_values", 2, "must have 3-6 items")]
    [InlineData("psychographics.core_values", 7, "must have 3-6 items")]
    [InlineData("psychographics.media_consumption", 2, "must have 3-6 items")]
    [InlineData("psychographics.media_consumption", 7, "must have 3-6 items")]
    [InlineData("day_in_life.pain_point_moments", 4, "must have exactly 5 items")]
    [InlineData("day_in_life.pain_point_moments", 6, "must have exactly 5 items")]
    [InlineData("online_communities", 2, "must have exactly 3 items")]
    [InlineData("online_communities", 4, "must have exactly 3 items")]
    [InlineData("online_communities[0].top_post_examples", 2, "must have 3-5 items")]
    [InlineData("online_communities[0].top_post_examples", 6, "must have 3-5 items")]
    [InlineData("online_communities[2].top_topics", 2, "must have 3-6 items")]
    [InlineData("online_communities[2].top_topics", 7, "must have 3-6 items")]
    [InlineData("top_3_hopes", 2, "must have exactly 3 items")]
    [InlineData("top_3_hopes", 4, "must have exactly 3 items")]
    [InlineData("top_3_fears", 2, "must have exactly 3 items")]
    [InlineData("top_3_fears", 4, "must have exactly 3 items")]
    [InlineData("top_3_barriers", 2, "must have exactly 3 items")]
    [InlineData("top_3_barriers", 4, "must have exactly 3 items")]
    [InlineData("buying_triggers.platform_preferences", 1, "must have 2-5 items")]
    [InlineData("buying_triggers.platform_preferences", 6, "must have 2-5 items")]
    public void Counts_are_enforced_both_ways(string path, int count, string message)
    {
        var result = Validate(o => TestData.Resize(o, path, count));

        Assert.Contains($"{path} {message}, got {count}.", result.Errors);
    }

    [Theory]
    [InlineData("price_sensitivity", "very high")]
    [InlineData("online_communities[0].engagement_level", "viral")]
    public void Values_outside_an_enum_are_errors(string path, string value)
    {
        var result = Validate(o => TestData.Set(o, path, value));

        Assert.Contains(result.Errors, e => e.StartsWith($"{path} must be one of high, medium, low", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("avatar_name", "[Insert name]")]
    [InlineData("day_in_life.morning_routine", "TODO")]
    [InlineData("online_communities[2].name", "Coming soon")]
    public void A_placeholder_is_an_error_and_counted(string path, string value)
    {
        var result = Validate(o => TestData.Set(o, path, value));

        Assert.Equal(1, result.Metrics.PlaceholderCount);
        Assert.Contains(result.Errors, e => e.StartsWith($"{path} contains a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void A_short_day_narrative_is_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "day_in_life.evening_routine", "Dinner, then more work."));

        Assert.True(result.IsValid);
        Assert.Contains($"day_in_life.evening_routine is 4 words; tell it in at least {AvatarCreationStage.MinimumNarrativeWords}.", result.Warnings);
        Assert.Equal(98, result.QualityScore);
    }

    [Fact]
    public void Repeated_community_names_are_an_error()
    {
        var result = Validate(o => TestData.Set(o, "online_communities[2].name", "Rands Leadership Slack"));

        Assert.Contains(result.Errors, e => e.StartsWith("online_communities must be three different communities", StringComparison.Ordinal));
    }

    [Fact]
    public void A_member_count_without_a_figure_is_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "online_communities[0].member_count", "a lot"));

        Assert.Contains("online_communities[0].member_count has no figure.", result.Warnings);
    }

    [Fact]
    public void The_prompt_reads_the_nested_research()
    {
        var prompt = Stage.BuildPrompt(Input, new PromptOptions(SchemaInPrompt: false, FullResearchData: false));

        Assert.Contains("$240,000", prompt.User);
        Assert.Contains("Promotion feedback is vague", prompt.User);
        Assert.Contains("Looking self-promotional", prompt.User);
        Assert.Contains("through the Strategic Visibility Framework", prompt.User);
        Assert.DoesNotContain("N/A", prompt.User);
    }

    [Fact]
    public void The_schema_uses_the_declared_names()
    {
        var schema = Stage.ResponseSchema;
        var required = schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

        Assert.Contains("top_3_hopes", required);
        Assert.Contains("top_3_barriers", required);
        var community = schema["properties"]!["online_communities"]!["items"]!;
        Assert.DoesNotContain("url", community["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.NotNull(community["properties"]!["url"]);
    }
}
