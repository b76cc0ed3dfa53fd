using System.Net;

namespace MarketIntel.ModelEmulator.Tests;

/// <summary>
/// Values a report prompt lists for a table column ("In the table under ..., the "Price" column holds, row by row, ...:
/// [...]") or for a section to quote ("Under ..., quote each of these word for word: [...]") appear where they are asked,
/// and nowhere when the outline has no such heading.
/// </summary>
public sealed class ReportListingTests(EmulatorFactory factory) : IClassFixture<EmulatorFactory>
{
    private async Task<string> ReportAsync(string instructions, string? profile = null)
    {
        var prompt = MarkdownReportTests.Prompt("Length: 1,500-2,000 words.") + "\n## Rules\n" + instructions;
        using var response = await Requests.PostAsync(factory.CreateClient(),
            Requests.Chat("@cf/mistralai/mistral-small-3.1-24b-instruct", prompt, maxTokens: 16000), profile);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Requests.Content(await Requests.ReadJsonAsync(response));
    }

    /// <summary>The lines under the heading that starts with <paramref name="title"/>, to the next heading.</summary>
    private static List<string> Section(string report, string title)
    {
        var lines = report.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart('#', ' ').StartsWith(title, StringComparison.Ordinal) && l.StartsWith('#'));
        Assert.True(start >= 0, $"no heading {title}");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')).ToList();
    }

    private static List<string> Column(List<string> section, string column)
    {
        var rows = section.Where(l => l.StartsWith('|')).Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList()).ToList();
        var at = rows[0].IndexOf(column);
        return rows.Skip(2).Select(r => r[at]).ToList();
    }

    private const string Prices = """- In the table under "Competitor Matrix", the "Price" column holds, row by row, each competitor's price: ["$2,997","$997","$4,997"].""";

    [Fact]
    public async Task A_listed_column_holds_the_values_row_by_row()
    {
        var report = await ReportAsync(Prices);

        Assert.Equal(["$2,997", "$997", "$4,997"], Column(Section(report, "Competitor Matrix"), "Price"));
    }

    [Fact]
    public async Task Listed_values_beyond_the_rows_asked_are_quoted_in_the_section()
    {
        var report = await ReportAsync("""- In the table under "Buyer Language Intelligence", the "Phrase" column holds, row by row, word for word: ["one","two","three","four","five","I would pay twice for a plan that works."].""");

        var section = Section(report, "Buyer Language Intelligence");
        Assert.Equal(["one", "two", "three", "four", "five"], Column(section, "Phrase"));
        Assert.Contains(section, l => l.Contains("\"I would pay twice for a plan that works.\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Values_to_quote_appear_word_for_word_under_their_heading()
    {
        var report = await ReportAsync("""- Under "Fear Analysis", quote each of these word for word: ["I'm honestly embarrassed that I haven't fixed this already.","What if it never changes?"].""");

        var text = string.Join('\n', Section(report, "Fear Analysis"));
        Assert.Contains("I'm honestly embarrassed that I haven't fixed this already.", text, StringComparison.Ordinal);
        Assert.Contains("What if it never changes?", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listings_for_headings_the_outline_lacks_are_not_written()
    {
        var report = await ReportAsync("""
            - In the table under "Pricing Ladder", the "Price" column holds, row by row, the prices: ["$7,777","$8,888"].
            - Under "Risk Register", quote each of these word for word: ["Nobody reads the fine print twice."].
            """);

        Assert.DoesNotContain("$7,777", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Nobody reads the fine print twice", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_realistic_model_overlooks_a_listing_at_its_miss_rate()
    {
        var missed = await ReportAsync(Prices, """{"behaviour": "realistic", "instructionMissRate": 1}""");
        var followed = await ReportAsync(Prices, """{"behaviour": "realistic", "instructionMissRate": 0}""");

        Assert.NotEqual(["$2,997", "$997", "$4,997"], Column(Section(missed, "Competitor Matrix"), "Price"));
        Assert.Equal(["$2,997", "$997", "$4,997"], Column(Section(followed, "Competitor Matrix"), "Price"));
    }
}
