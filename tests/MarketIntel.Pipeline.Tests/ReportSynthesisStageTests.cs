using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.ReportSynthesis;

namespace MarketIntel.Pipeline.Tests;

public class ReportSynthesisStageTests
{
    private static readonly ReportSynthesisStage Stage = new();
    private static readonly StageInput Input = ResearchSamples.Input(5);
    private static readonly IReadOnlyList<ReportSection> Outline = ReportOutline.For(Input);
    private static readonly string ValidReport = ReportFixture.Build(Outline, research: Input);

    private static readonly PromptOptions Condensed = new(SchemaInPrompt: true, FullResearchData: false);
    private static readonly PromptOptions Full = new(SchemaInPrompt: false, FullResearchData: true);

    [Fact]
    public void A_report_that_follows_the_outline_is_valid_with_full_score()
    {
        var result = Stage.Validate(ValidReport, Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(100, result.QualityScore);
        Assert.InRange(result.Metrics.WordCount!.Value, 5400, 5600);
        Assert.Equal(Outline.Count, result.Metrics.FieldCount);
    }

    [Fact]
    public void The_outline_carries_the_names_of_the_business_avatar_and_offer()
    {
        var headings = Outline.Select(s => s.Heading).ToList();

        Assert.Equal("# Market Intelligence Report: Ashley Shaw Consulting", headings[0]);
        Assert.Contains("## 5. Dream Customer Avatar: Maya Chen", headings);
        Assert.Contains("### Core Offer: The Leadership Breakthrough Accelerator", headings);
        Assert.Equal("## Appendix: Research Methodology", headings[^1]);
    }

    [Theory]
    [InlineData("## Executive Summary")]
    [InlineData("### Fear Analysis")]
    [InlineData("## 5. Dream Customer Avatar: Maya Chen")]
    [InlineData("### Core Offer: The Leadership Breakthrough Accelerator")]
    [InlineData("## Appendix: Research Methodology")]
    public void A_missing_heading_is_an_error(string heading)
    {
        var report = ValidReport.Replace(heading + "\n", "\n", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.Contains($"Heading \"{heading}\" is missing or out of order.", result.Errors);
    }

    [Fact]
    public void A_heading_with_the_wrong_avatar_name_is_an_error()
    {
        var report = ValidReport.Replace("Dream Customer Avatar: Maya Chen", "Dream Customer Avatar: Ava Morales", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.Contains("Heading \"## 5. Dream Customer Avatar: Maya Chen\" is missing or out of order.", result.Errors);
    }

    [Fact]
    public void Headings_out_of_order_are_an_error()
    {
        var report = ValidReport
            .Replace("### Fear Analysis\n", "### TEMP\n", StringComparison.Ordinal)
            .Replace("### Desire Analysis\n", "### Fear Analysis\n", StringComparison.Ordinal)
            .Replace("### TEMP\n", "### Desire Analysis\n", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.EndsWith("is missing or out of order.", StringComparison.Ordinal));
    }

    [Fact]
    public void Headings_with_emphasis_or_a_short_suffix_still_match()
    {
        var report = ValidReport
            .Replace("### Fear Analysis\n", "### **Fear Analysis** (3)\n", StringComparison.Ordinal)
            .Replace("### Competitor Matrix\n", "### Competitor Matrix <!-- table: Competitor | Price | Positioning | Strengths | Weaknesses; rows: 3 -->\n", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void The_report_must_start_with_the_title()
    {
        var result = Stage.Validate("Here is your report.\n\n" + ValidReport, Input);

        Assert.Contains("The report must start with \"# Market Intelligence Report: Ashley Shaw Consulting\".", result.Errors);
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(4999)]
    [InlineData(6001)]
    [InlineData(8000)]
    public void A_word_count_outside_5000_to_6000_is_an_error(int words)
    {
        var result = Stage.Validate(ReportFixture.Build(Outline, words, Input), Input);

        Assert.Equal(words, result.Metrics.WordCount);
        Assert.Contains(result.Errors, e => e.StartsWith($"The report has {words:N0} words; it must have 5,000-6,000.", StringComparison.Ordinal));
        Assert.Equal(90, result.QualityScore);
    }

    [Theory]
    [InlineData(5000)]
    [InlineData(6000)]
    public void The_word_count_bounds_are_inclusive(int words)
    {
        var result = Stage.Validate(ReportFixture.Build(Outline, words, Input), Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void A_table_with_a_missing_row_is_an_error()
    {
        var report = ValidReport.Replace("| Competitor value 3 | $200-$600 per session | Positioning value 3 | Strengths value 3 | Weaknesses value 3 |\n", "", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.Contains("The table under \"### Competitor Matrix\" must have 3 rows, got 2.", result.Errors);
    }

    [Fact]
    public void A_table_with_an_empty_cell_is_an_error()
    {
        var report = ValidReport.Replace("| Tier value 2 | Name value 2 | $25,000 |", "| Tier value 2 | Name value 2 |  |", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.Contains("Row 2 of the table under \"### 3-Tier Pricing Model\" is incomplete.", result.Errors);
    }

    [Fact]
    public void A_table_with_other_columns_is_an_error()
    {
        var report = ValidReport.Replace("| Plan | Structure | Total Cost |", "| Plan | Details |", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.Contains(result.Errors, e => e.StartsWith("The table under \"### Payment Plan Options\" must have the columns \"Plan | Structure | Total Cost\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_table_is_an_error()
    {
        var lines = ValidReport.Split('\n');
        var start = Array.IndexOf(lines, "| Community | Platform | Members | Engagement | Opportunity |");
        var report = string.Join('\n', lines.Take(start).Concat(lines.Skip(start + 5)));

        var result = Stage.Validate(report, Input);

        Assert.Contains("The table \"Community | Platform | Members | Engagement | Opportunity\" under \"### Online Community Intelligence\" is missing.", result.Errors);
    }

    [Fact]
    public void Extra_table_rows_are_a_warning()
    {
        var report = ValidReport.Replace("| Attribute value 6 | Detail value 6 |\n", "| Attribute value 6 | Detail value 6 |\n| Hobby | Running |\n", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Contains("The table under \"### Demographics Profile\" has 7 rows; 6 were asked for.", result.Warnings);
    }

    [Fact]
    public void Every_table_row_count_follows_the_research()
    {
        var tables = Outline.Where(s => s.Table is not null).ToDictionary(s => s.Title, s => s.Table!.Rows);

        Assert.Equal(11, tables["Buyer Language Intelligence"]);
        Assert.Equal(3, tables["Competitor Matrix"]);
        Assert.Equal(3, tables["Payment Plan Options"]);
        Assert.Equal(15, tables["Marketing Messages"]);
        Assert.Equal(3, tables["Irresistible Bonuses"]);
    }

    [Fact]
    public void An_empty_section_is_an_error()
    {
        var lines = ValidReport.Split('\n').ToList();
        var at = lines.IndexOf("### Barriers to Purchase");
        lines[at + 2] = "";

        var result = Stage.Validate(string.Join('\n', lines), Input);

        Assert.Contains("Section \"### Barriers to Purchase\" is missing or empty.", result.Errors);
    }

    [Theory]
    [InlineData("[Fear 2]")]
    [InlineData("TBD")]
    [InlineData("{avatar_name}")]
    [InlineData("[Insert testimonial here]")]
    public void A_placeholder_is_an_error_and_counted(string placeholder)
    {
        var report = ValidReport.Replace("### Desire Analysis\n\n", $"### Desire Analysis\n\nSee {placeholder} for details. ", StringComparison.Ordinal);

        var result = Stage.Validate(report, Input);

        Assert.Equal(1, result.Metrics.PlaceholderCount);
        Assert.Contains(result.Errors, e => e.StartsWith("The report contains a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void The_prompt_states_the_outline_tables_and_length_in_the_emulator_conventions()
    {
        var prompt = Stage.BuildPrompt(Input, Condensed).User;

        Assert.Contains("## Report outline\n```markdown\n# Market Intelligence Report: Ashley Shaw Consulting\n## Executive Summary\n", prompt);
        Assert.Contains("\n### Competitor Matrix <!-- table: Competitor | Price | Positioning | Strengths | Weaknesses; rows: 3 -->\n", prompt);
        Assert.Contains("\n## 5. Dream Customer Avatar: Maya Chen\n", prompt);
        Assert.Contains("\n### Core Offer: The Leadership Breakthrough Accelerator\n", prompt);
        Assert.Contains("\nLength: 5,000-6,000 words.\n", prompt);
        foreach (var section in Outline)
        {
            Assert.Contains("\n" + section.OutlineLine + "\n", prompt);
        }
    }

    [Fact]
    public void The_condensed_prompt_inlines_labelled_values_and_fits_a_24k_window_with_12k_output()
    {
        var prompt = Stage.BuildPrompt(Input, Condensed);

        Assert.Null(prompt.ResponseSchema);
        Assert.DoesNotContain("\"buyer_language\"", prompt.User);
        Assert.DoesNotContain("N/A", prompt.User);
        Assert.DoesNotContain("Not specified", prompt.User);
        Assert.Contains("Fear 1: Being permanently stuck below director (9/10)", prompt.User);
        Assert.Contains("Tier 2 (RECOMMENDED): Signature Accelerator | $25,000", prompt.User);
        Assert.Contains("Community 3: r/ExperiencedDevs on Reddit", prompt.User);
        Assert.Contains("Message 15 (curiosity)", prompt.User);
        Assert.Contains("Campaign timeline: Webinar on Tuesday 7 pm PT", prompt.User);
        Assert.Contains("Target outcome: A director promotion or offer within 12 months", prompt.User);
        Assert.Contains("Unique positioning: The only programme that builds a promotion case", prompt.User);
        Assert.True(FitsCondensedWindow(prompt), $"{ContextBudget.EstimateTokens(prompt.Length)} input tokens");
    }

    [Fact]
    public void A_verbose_research_is_clipped_until_the_condensed_prompt_fits()
    {
        var verbose = ResearchSamples.Outputs(5).ToDictionary(p => p.Key, p => TestData.Verbose(p.Value, 6));

        var prompt = Stage.BuildPrompt(TestData.Input(verbose), Condensed);

        Assert.True(FitsCondensedWindow(prompt), $"{ContextBudget.EstimateTokens(prompt.Length)} input tokens");
        Assert.Contains("…", prompt.User);
    }

    [Fact]
    public void Long_context_models_get_the_full_research_as_json()
    {
        var prompt = Stage.BuildPrompt(Input, Full).User;

        Assert.Contains("<data name=\"research\">", prompt);
        Assert.Contains("\"stage2_buyer_psychology\":{\"buyer_language\"", prompt);
        Assert.Contains("\"stage5_offer_design\"", prompt);
        Assert.Contains("## Report outline", prompt);
    }

    [Fact]
    public void The_stage_is_a_markdown_stage_after_all_research()
    {
        Assert.Equal(StageOutputKind.Markdown, Stage.OutputKind);
        Assert.Equal([1, 2, 3, 4, 5], Stage.Reads);
        Assert.Equal(12_000, Stage.DefaultMaxTokens);
        Assert.Equal(new Validation.ScoreWeights(10, 5), Stage.Weights);
        Assert.Same(typeof(ReportSynthesisStage), StageCatalog.Get(6).GetType());
        Assert.IsAssignableFrom<ISectionedStage>(StageCatalog.Get(6));
    }

    private static bool FitsCondensedWindow(StagePrompt prompt) =>
        ContextBudget.EstimateTokens(prompt.Length) + Stage.DefaultMaxTokens + ContextBudget.SafetyTokens < ReportSynthesisStage.CondensedContextWindow;
}
