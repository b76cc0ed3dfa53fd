using MarketIntel.Pipeline.Models;
using MarketIntel.Pipeline.Stages;
using MarketIntel.Pipeline.Stages.ReportSynthesis;

namespace MarketIntel.Pipeline.Tests;

/// <summary>Stage 6 written in parts: the plan, the section prompts, section validation and assembly.</summary>
public class ReportSectionsTests
{
    private static readonly ReportSynthesisStage Stage = new();
    private static readonly StageInput Input = ResearchSamples.Input(5);
    private static readonly IReadOnlyList<ReportSection> Outline = ReportOutline.For(Input);
    private static readonly IReadOnlyList<ReportPart> Parts = ReportPlan.For(Input);

    private static readonly PromptOptions Condensed = new(SchemaInPrompt: true, FullResearchData: false);
    private static readonly PromptOptions Full = new(SchemaInPrompt: false, FullResearchData: true);

    private static readonly string[] SectionKeys = [.. Enumerable.Range(1, 8).Select(n => $"section-{n}")];

    [Fact]
    public void Every_heading_of_the_outline_belongs_to_exactly_one_part_in_order()
    {
        Assert.Equal(Outline.Select(s => s.OutlineLine), Parts.SelectMany(p => p.Outline).Select(s => s.OutlineLine));
        Assert.Equal(["title", "summary", .. SectionKeys, "appendix"], Parts.Select(p => p.Key));
        Assert.Equal(["title", "appendix"], Parts.Where(p => p.WrittenByCode).Select(p => p.Key));
        Assert.All(Parts, p => Assert.True(p.Heading.Level <= 2, p.Heading.Heading));
        Assert.Equal("## 3. Buyer Psychology Deep-Dive", Parts.Single(p => p.Key == "section-3").Heading.Heading);
        Assert.Equal(7, Parts.Single(p => p.Key == "section-3").Outline.Count);
    }

    [Fact]
    public void Parts_that_land_in_their_bands_always_make_a_report_of_5000_to_6000_words()
    {
        var written = Parts.Where(p => !p.WrittenByCode).Select(p => p.Words!.Value).ToList();
        var byCode = ReportValidator.CountWords(Parts[0].Heading.Heading) + ReportValidator.CountWords(ReportPlan.Appendix(Input, Parts[^1]));

        Assert.InRange(written.Sum(b => b.Min) + byCode, ReportValidator.MinWords, ReportValidator.MaxWords);
        Assert.InRange(written.Sum(b => b.Max) + byCode, ReportValidator.MinWords, ReportValidator.MaxWords);
        Assert.All(written, b => Assert.True(b.Min < b.Max));
    }

    [Fact]
    public void Each_section_asks_for_its_own_outline_and_length_and_budgets_tokens_from_its_words()
    {
        var sections = Stage.Sections(Input, Condensed);

        Assert.Equal(SectionKeys, sections.Select(s => s.Key));
        foreach (var section in sections)
        {
            var part = Parts.Single(p => p.Key == section.Key);
            var band = part.Words!.Value;
            var user = section.Prompt.User;
            Assert.Contains("\n## Report outline for this section\n```markdown\n" + string.Join("\n", part.Outline.Select(s => s.OutlineLine)) + "\n```\n", user);
            Assert.Contains($"\nLength: {band.Min}-{band.Max} words.\n", user);
            Assert.DoesNotContain(ReportOutline.TitlePrefix, user);
            Assert.Null(section.Prompt.ResponseSchema);
            Assert.Equal(part.Heading.Title, section.Title);
            Assert.InRange(section.MaxTokens, (int)(band.Max * WordBand.TokensPerWord) + 700, (int)(band.Max * WordBand.TokensPerWord) + 800);
            foreach (var other in Parts.Where(p => p != part && p.Key != "title"))
            {
                Assert.DoesNotContain("\n" + other.Heading.OutlineLine + "\n", user);
            }
        }
    }

    [Fact]
    public void The_table_demands_ride_in_the_section_outlines()
    {
        var user = Stage.Sections(Input, Condensed).Single(s => s.Key == "section-4").Prompt.User;

        Assert.Contains("\n### Competitor Matrix <!-- table: Competitor | Price | Positioning | Strengths | Weaknesses; rows: 3 -->\n", user);
    }

    [Theory]
    [InlineData("section-1", "Growth rate: ", "Top 20% demographics")]
    [InlineData("section-2", "Power 4% lifetime value: ", "Growth rate: ")]
    [InlineData("section-3", "Fear 1: Being permanently stuck below director (9/10)", "Competitor 1: ")]
    [InlineData("section-4", "Competitor 1: ", "Fear 1: ")]
    [InlineData("section-5", "Community 3: r/ExperiencedDevs on Reddit", "Tier 2 (RECOMMENDED)")]
    [InlineData("section-6", "Tier 2 (RECOMMENDED): Signature Accelerator | $25,000", "Community 1: ")]
    [InlineData("section-6", "Message 15 (curiosity)", "Campaign timeline: ")]
    [InlineData("section-7", "Campaign timeline: Webinar on Tuesday 7 pm PT", "Message 1 (")]
    [InlineData("section-7", "Community 3: r/ExperiencedDevs on Reddit", "Fear 1: ")]
    [InlineData("section-8", "<data name=\"research_summary\">", "Phrase 1: ")]
    public void A_condensed_section_gets_the_research_it_writes_about_and_not_the_rest(string key, string present, string absent)
    {
        var user = Stage.Sections(Input, Condensed).Single(s => s.Key == key).Prompt.User;

        Assert.Contains(present, user);
        Assert.DoesNotContain(absent, user);
    }

    [Fact]
    public void Every_condensed_section_prompt_fits_a_24k_window_beside_its_answer_even_for_verbose_research()
    {
        var verbose = TestData.Input(ResearchSamples.Outputs(5).ToDictionary(p => p.Key, p => TestData.Verbose(p.Value, 6)));

        foreach (var input in new[] { Input, verbose })
        {
            foreach (var section in Stage.Sections(input, Condensed))
            {
                Assert.True(Fits(section), $"{section.Key}: {ContextBudget.EstimateTokens(section.Prompt.Length)} input tokens");
            }
        }
    }

    [Theory]
    [InlineData("section-3", new[] { 2 })]
    [InlineData("section-7", new[] { 4, 5 })]
    [InlineData("section-8", new[] { 1, 2, 3, 4, 5 })]
    public void Long_context_sections_get_the_full_json_of_the_stages_they_read(string key, int[] reads)
    {
        var user = Stage.Sections(Input, Full).Single(s => s.Key == key).Prompt.User;

        Assert.Contains("<data name=\"research\">", user);
        foreach (var stage in Enumerable.Range(1, 5))
        {
            Assert.Equal(reads.Contains(stage), user.Contains($"\"stage{stage}_", StringComparison.Ordinal));
        }
        Assert.DoesNotContain("Phrase 1: ", user);
        Assert.Contains("\n```markdown\n", user);
    }

    [Fact]
    public void The_summary_is_written_from_the_finished_sections_and_fits_a_24k_window()
    {
        var written = WrittenParts(band => band.Max);

        var summary = Stage.Summary(Input, written, Condensed);

        Assert.Equal("summary", summary.Key);
        Assert.Contains("\n## Report outline for this section\n```markdown\n## Executive Summary\n```\n", summary.Prompt.User);
        Assert.Contains("\nLength: 300-360 words.\n", summary.Prompt.User);
        Assert.Contains("<data name=\"report_sections\">\n## 1. Market Validation & Opportunity", summary.Prompt.User);
        foreach (var key in SectionKeys)
        {
            Assert.Contains(written[key].Trim(), summary.Prompt.User);
        }
        Assert.True(Fits(summary), $"{ContextBudget.EstimateTokens(summary.Prompt.Length)} input tokens");
    }

    [Fact]
    public void The_summary_needs_every_section()
    {
        var written = WrittenParts(band => band.Min);
        written.Remove("section-5");

        var error = Assert.Throws<ArgumentException>(() => Stage.Summary(Input, written, Condensed));

        Assert.Contains("'section-5'", error.Message);
    }

    [Fact]
    public void Assembly_puts_the_parts_in_outline_order_and_the_whole_passes_validation()
    {
        var written = WrittenParts(band => (band.Min + band.Max) / 2);
        var shuffled = written.Reverse().ToDictionary();

        var report = Stage.Assemble(Input, shuffled);

        Assert.StartsWith("# Market Intelligence Report: Ashley Shaw Consulting\n\n## Executive Summary\n", report);
        var positions = Outline.Select(s => report.IndexOf("\n" + s.Heading + "\n", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("\n## Appendix: Research Methodology\n\nThis report was written from five research stages", report);
        var result = Stage.Validate(report, Input);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(Outline.Count, result.Metrics.FieldCount);
        Assert.InRange(result.Metrics.WordCount!.Value, ReportValidator.MinWords, ReportValidator.MaxWords);
    }

    [Fact]
    public void The_code_written_appendix_counts_the_research_and_says_the_figures_are_estimates()
    {
        var appendix = ReportPlan.Appendix(Input, Parts[^1]);

        Assert.StartsWith("## Appendix: Research Methodology\n", appendix);
        Assert.Contains("11 buyer phrases", appendix);
        Assert.Contains("3 competitors", appendix);
        Assert.Contains("the dream customer Maya Chen", appendix);
        Assert.Contains("15 marketing messages", appendix);
        Assert.Contains("not from live market data", appendix);
    }

    [Fact]
    public void Assembly_without_a_section_is_refused()
    {
        var written = WrittenParts(band => band.Min);
        written.Remove("summary");

        Assert.Throws<ArgumentException>(() => Stage.Assemble(Input, written));
    }

    [Fact]
    public void A_section_that_follows_its_outline_and_band_is_valid()
    {
        foreach (var section in Stage.Sections(Input, Condensed))
        {
            var band = Parts.Single(p => p.Key == section.Key).Words!.Value;
            foreach (var words in new[] { band.Min, band.Max })
            {
                var result = Stage.ValidateSection(section, SectionText(section.Key, words), Input);

                Assert.True(result.IsValid, $"{section.Key} at {words}: {string.Join("; ", result.Errors)}");
                Assert.Equal(100, result.QualityScore);
                Assert.Equal(words, result.Metrics.WordCount);
            }
        }
    }

    [Theory]
    [InlineData(-1, "The section has 819 words; it must have 820-920. Expand the analysis under each heading.")]
    [InlineData(1, "The section has 921 words; it must have 820-920. Tighten the prose.")]
    public void A_section_outside_its_band_is_an_error(int offBy, string error)
    {
        var result = Validate("section-3", offBy < 0 ? 820 + offBy : 920 + offBy, text => text);

        Assert.Equal([error], result.Errors);
    }

    [Fact]
    public void The_summary_is_validated_as_a_section_too()
    {
        var result = Validate("summary", 150, text => text);

        Assert.Equal(["The section has 150 words; it must have 300-360. Expand the analysis under each heading."], result.Errors);
    }

    [Fact]
    public void A_section_missing_a_sub_heading_is_an_error()
    {
        var result = Validate("section-3", 870, text => text.Replace("### Fear Analysis\n", "\n", StringComparison.Ordinal));

        Assert.Contains("Heading \"### Fear Analysis\" is missing or out of order.", result.Errors);
    }

    [Fact]
    public void A_section_must_start_with_its_heading()
    {
        var result = Validate("section-7", 320, text => "Here is the section.\n\n" + text);

        Assert.Contains("The section must start with \"## 7. First Campaign Strategy\".", result.Errors);
    }

    [Fact]
    public void A_section_with_a_wrong_table_is_an_error()
    {
        var result = Validate("section-6", 870, text => text.Replace("| Plan | Structure | Total Cost |", "| Plan | Details |", StringComparison.Ordinal));

        Assert.Contains(result.Errors, e => e.StartsWith("The table under \"### Payment Plan Options\" must have the columns \"Plan | Structure | Total Cost\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_section_with_a_placeholder_is_an_error()
    {
        var result = Validate("section-3", 870, text => text.Replace("### Desire Analysis\n\n", "### Desire Analysis\n\nSee [Insert testimonial here] ", StringComparison.Ordinal));

        Assert.Equal(1, result.Metrics.PlaceholderCount);
        Assert.Contains(result.Errors, e => e.StartsWith("The section contains a placeholder", StringComparison.Ordinal));
    }

    [Fact]
    public void A_section_that_also_writes_the_title_or_another_section_is_an_error()
    {
        var result = Validate("section-2", 420, text => text + "\n## 3. Buyer Psychology Deep-Dive\n\nMore.\n");

        Assert.Contains("The section contains the heading \"## 3. Buyer Psychology Deep-Dive\", which is not part of it; write only \"## 2. Customer Segmentation\" and its sub-sections.", result.Errors);
    }

    [Fact]
    public void A_section_key_the_plan_does_not_write_is_refused()
    {
        var section = Stage.Sections(Input, Condensed)[0] with { Key = "appendix" };

        Assert.Throws<ArgumentException>(() => Stage.ValidateSection(section, "## Appendix: Research Methodology\n\nText.", Input));
    }

    private static Validation.ValidationResult Validate(string key, int words, Func<string, string> change)
    {
        var section = key == "summary"
            ? Stage.Summary(Input, WrittenParts(b => b.Min), Condensed)
            : Stage.Sections(Input, Condensed).Single(s => s.Key == key);
        return Stage.ValidateSection(section, change(SectionText(key, words)), Input);
    }

    private static string SectionText(string key, int words) => ReportFixture.Build(Parts.Single(p => p.Key == key).Outline, words, Input);

    /// <summary>Every model-written part, each at the word count <paramref name="words"/> picks from its band.</summary>
    private static Dictionary<string, string> WrittenParts(Func<WordBand, int> words) =>
        Parts.Where(p => !p.WrittenByCode).ToDictionary(p => p.Key, p => ReportFixture.Build(p.Outline, words(p.Words!.Value), Input));

    private static bool Fits(StageSection section) =>
        ContextBudget.EstimateTokens(section.Prompt.Length) + section.MaxTokens + ContextBudget.SafetyTokens <= ReportSynthesisStage.CondensedContextWindow;
}
