using System.Text.Json.Nodes;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.CompetitiveAnalysis;

namespace MarketIntel.Pipeline.Tests;

public class CompetitiveAnalysisStageTests
{
    private static readonly CompetitiveAnalysisStage Stage = new();
    private static readonly StageInput Input = ResearchSamples.Input(2);

    private static Validation.ValidationResult Validate(Action<JsonObject> change) =>
        Stage.Validate(TestData.Mutate(ResearchSamples.CompetitiveAnalysis, change), Input);

    [Fact]
    public void A_complete_output_is_valid_with_full_score()
    {
        var result = Stage.Validate(ResearchSamples.CompetitiveAnalysis, Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(100, result.QualityScore);
    }

    [Theory]
    [InlineData("competitors")]
    [InlineData("positioning_gaps")]
    [InlineData("differentiation_opportunities")]
    [InlineData("unique_value_proposition")]
    [InlineData("competitive_pricing_analysis")]
    [InlineData("why_business_wins")]
    [InlineData("competitors[0].price_point")]
    [InlineData("competitors[1].target_audience")]
    [InlineData("competitors[2].weaknesses")]
    public void A_missing_field_is_an_error(string path)
    {
        var result = Validate(o => TestData.Remove(o, path));

        Assert.Contains($"{path} is missing or empty.", result.Errors);
        Assert.Equal(100 - 8 * result.Errors.Count, result.QualityScore);
    }

    [Theory]
    [InlineData("competitors", 2, "must have exactly 3 items")]
    [InlineData("competitors", 4, "must have exactly 3 items")]
    [InlineData("positioning_gaps", 4, "must have exactly 5 items")]
    [InlineData("positioning_gaps", 6, "must have exactly 5 items")]
    [InlineData("differentiation_opportunities", 4, "must have exactly 5 items")]
    [InlineData("differentiation_opportunities", 6, "must have exactly 5 items")]
    [InlineData("why_business_wins", 4, "must have exactly 5 items")]
    [InlineData("why_business_wins", 6, "must have exactly 5 items")]
    [InlineData("competitors[0].strengths", 1, "must have 2-4 items")]
    [InlineData("competitors[0].strengths", 5, "must have 2-4 items")]
    [InlineData("competitors[1].weaknesses", 1, "must have 2-4 items")]
    [InlineData("competitors[1].weaknesses", 5, "must have 2-4 items")]
    public void Counts_are_enforced_both_ways(string path, int count, string message)
    {
        var result = Validate(o => TestData.Resize(o, path, count));

        Assert.Contains($"{path} {message}, got {count}.", result.Errors);
    }

    [Fact]
    public void Why_business_wins_as_one_string_is_a_type_error()
    {
        var result = Validate(o => o["why_business_wins"] = "Specialised, outcome-driven and guaranteed.");

        Assert.Contains(result.Errors, e => e.StartsWith("why_business_wins must be array", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("competitors[0].name", "[Competitor 1]")]
    [InlineData("unique_value_proposition", "We help [insert target] achieve results")]
    [InlineData("positioning_gaps[2]", "TBD")]
    public void A_placeholder_is_an_error_and_counted(string path, string value)
    {
        var result = Validate(o =>
        {
            if (path.EndsWith(']'))
            {
                var open = path.LastIndexOf('[');
                TestData.At(o, path[..open]).AsArray()[int.Parse(path[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
            }
            else
            {
                TestData.Set(o, path, value);
            }
        });

        Assert.Equal(1, result.Metrics.PlaceholderCount);
        Assert.Contains(result.Errors, e => e.StartsWith($"{path} contains a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeated_competitor_names_are_an_error()
    {
        var result = Validate(o => TestData.Set(o, "competitors[2].name", "betterup"));

        Assert.Contains(result.Errors, e => e.StartsWith("competitors must be three different competitors; repeated: 'BetterUp'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_competitor_price_without_a_figure_is_a_warning()
    {
        var result = Validate(o => TestData.Set(o, "competitors[1].price_point", "Custom enterprise pricing"));

        Assert.True(result.IsValid);
        Assert.Contains("competitors[1].price_point has no figure ('Custom enterprise pricing').", result.Warnings);
        Assert.Equal(97, result.QualityScore);
    }

    [Fact]
    public void Pricing_analysis_without_figures_is_a_warning()
    {
        var result = Validate(o => o["competitive_pricing_analysis"] = "Prices vary widely across the market.");

        Assert.Contains("competitive_pricing_analysis gives no dollar figures.", result.Warnings);
    }

    [Fact]
    public void A_repeated_win_reason_is_a_warning()
    {
        var result = Validate(o => o["why_business_wins"]![4] = "Built only for women in tech leadership");

        Assert.Contains(result.Warnings, w => w.StartsWith("why_business_wins repeats", StringComparison.Ordinal));
    }

    [Fact]
    public void The_prompt_reads_fears_and_desires_from_the_nested_buyer_psychology()
    {
        var prompt = Stage.BuildPrompt(Input, new PromptOptions(SchemaInPrompt: false, FullResearchData: false));

        Assert.Contains("Being permanently stuck below director (9/10)", prompt.User);
        Assert.Contains("Director title within 12 months (9/10)", prompt.User);
        Assert.Contains("BetterUp ($3k-$5k/yr)", prompt.User);
        Assert.Contains("High performers are invisible", prompt.User);
        Assert.DoesNotContain("N/A", prompt.User);
    }
}
