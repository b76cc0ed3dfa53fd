using System.Net;
using System.Text.RegularExpressions;

namespace MarketIntel.ModelEmulator.Tests;

public sealed class MarkdownReportTests(EmulatorFactory factory) : IClassFixture<EmulatorFactory>
{
    private const string Outline = """
        # Market Intelligence Report: Ashley Shaw Consulting
        ## Executive Summary
        ## 1. Market Validation & Opportunity
        ### Market Growth & Size
        ### Bleeding Neck Problem
        ## 3. Buyer Psychology Deep-Dive
        ### Buyer Language Intelligence <!-- table: Phrase | Emotion | Marketing Hook; rows: 5 -->
        ### Fear Analysis
        ## 4. Competitive Intelligence
        ### Competitor Matrix <!-- table: Competitor | Price | Positioning | Strengths | Weaknesses; rows: 3 -->
        ## 5. Dream Customer Avatar: Sarah Mitchell
        ### A Day in the Life
        ## 6. Offer Design & Pricing Strategy
        ### Payment Plan Options <!-- table: Plan | Payments | Total; rows: 3 -->
        ## 8. Strategic Recommendations & Next Steps
        ## Appendix: Research Methodology
        """;

    internal static string Prompt(string length) => $"""
        You are writing the final report.

        ## The business
        {Requests.BusinessProfile}
        <data name="market_analysis">
        Market growth rate: 12.4% annually (2024-2025)
        Market size 2024: $4.2 billion
        Bleeding neck problem: Talented women are stuck below VP level while less qualified peers get promoted
        </data>

        ## Report outline
        Use exactly these headings, in this order:
        ```markdown
        {Outline}
        ```
        {length}
        """;

    private static List<string> OutlineHeadings() =>
        Outline.Split('\n').Select(l => Regex.Replace(l, "<!--.*-->", "").Trim()).Where(l => l.StartsWith('#')).ToList();

    private async Task<string> ReportAsync(string length)
    {
        using var response = await Requests.PostAsync(factory.CreateClient(),
            Requests.Chat("@cf/mistralai/mistral-small-3.1-24b-instruct", Prompt(length), maxTokens: 16000, system: "You write thorough markdown reports."));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var completion = await Requests.ReadJsonAsync(response);
        Assert.Equal("stop", Requests.FinishReason(completion));
        return Requests.Content(completion);
    }

    [Fact]
    public async Task The_report_has_the_outline_headings_in_order()
    {
        var report = await ReportAsync("Length: 5,000-6,000 words.");
        var headings = report.Split('\n').Where(l => l.StartsWith('#')).ToList();
        Assert.Equal(OutlineHeadings(), headings);
        Assert.DoesNotContain("<!--", report, StringComparison.Ordinal);
        Assert.StartsWith("# Market Intelligence Report: Ashley Shaw Consulting\n", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Length: 5,000-6,000 words.", 5000, 6000)]
    [InlineData("Length: 1,200-1,500 words.", 1200, 1500)]
    public async Task The_word_count_is_inside_the_requested_range(string length, int min, int max)
    {
        var report = await ReportAsync(length);
        var words = report.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));
        Assert.InRange(words, min, max);
        Assert.DoesNotMatch(SchemaChecker.Placeholder(), report);
        Assert.Contains("Ashley Shaw Consulting", report, StringComparison.Ordinal);
        Assert.Contains("12.4% annually", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requested_tables_have_the_columns_and_rows_with_every_cell_filled()
    {
        var lines = (await ReportAsync("Length: 5,000-6,000 words.")).Split('\n');
        AssertTable(lines, "### Competitor Matrix", ["Competitor", "Price", "Positioning", "Strengths", "Weaknesses"], 3);
        AssertTable(lines, "### Buyer Language Intelligence", ["Phrase", "Emotion", "Marketing Hook"], 5);
        AssertTable(lines, "### Payment Plan Options", ["Plan", "Payments", "Total"], 3);
        Assert.Equal(3, lines.Count(l => l.StartsWith("| ---", StringComparison.Ordinal) || l.StartsWith("|---", StringComparison.Ordinal)));
    }

    private static void AssertTable(string[] lines, string heading, string[] columns, int rows)
    {
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"{heading} is missing");
        var next = Array.FindIndex(lines, start + 1, l => l.StartsWith('#'));
        var section = lines[start..(next < 0 ? lines.Length : next)];
        var table = section.Where(l => l.StartsWith('|')).ToList();
        Assert.Equal(rows + 2, table.Count);
        Assert.Equal(columns, Cells(table[0]));
        Assert.All(Cells(table[1]), c => Assert.Matches("^-{3,}$", c));
        foreach (var row in table.Skip(2))
        {
            var cells = Cells(row);
            Assert.Equal(columns.Length, cells.Length);
            Assert.All(cells, c => Assert.False(string.IsNullOrWhiteSpace(c), $"empty cell in {row}"));
        }
    }

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    [Fact]
    public void The_outline_parser_reads_levels_titles_and_table_requests()
    {
        var outline = MarkdownReportGenerator.ParseOutline(Prompt(""));
        Assert.Equal(OutlineHeadings().Count, outline.Count);
        var matrix = outline.Single(h => h.Title == "Competitor Matrix");
        Assert.Equal(3, matrix.Level);
        Assert.Equal(["Competitor", "Price", "Positioning", "Strengths", "Weaknesses"], matrix.TableColumns);
        Assert.Equal(3, matrix.TableRows);
        Assert.Equal((5000, 6000), MarkdownReportGenerator.ParseLength("Length: 5,000-6,000 words."));
    }
}
