using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static MarketIntel.Api.Tests.CreateJobTests;

namespace MarketIntel.Api.Tests;

public class ReportTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private JobSeeding Seeding => new(factory, _client);

    private const string Note = "> Market figures in this document (market sizes, growth rates, incomes and competitor prices) come from the AI "
        + "model's general knowledge, not from live market data. Check them before you rely on them.";

    [Fact]
    public async Task Markdown_is_the_default_format_with_a_generated_line_and_a_note_under_the_title()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        var lines = JobSeeding.Report.Split('\n');
        Assert.Equal(
            $"{lines[0]}\n\n*Generated on {await GeneratedOn(id, 6)} for Ashley Shaw Consulting.*\n\n{Note}\n\n{string.Join('\n', lines[2..])}\n",
            await response.Content.ReadAsStringAsync());
        Assert.Null(response.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task A_full_job_exports_the_report_then_the_offer_as_a_second_part()
    {
        var id = await CreateFinishedFullJobAsync();

        var markdown = await _client.GetStringAsync($"/api/jobs/{id}/report?format=md");

        Assert.StartsWith($"# Market Intelligence Report: Ashley Shaw Consulting\n\n*Generated on {await GeneratedOn(id, 13)} for Ashley Shaw Consulting.*\n\n{Note}\n", markdown);
        string[] order =
        [
            "\n## Executive Summary\n", "\n> \"I'm doing the job but not getting the title\"\n", "\n---\n\n# Strategic Offer: Ashley Shaw Consulting\n",
            "\n## 7. Offer Rationale\n", "\n## 8. Value Stack\n", "\n## 9. Pricing Framework\n", "\n## 10. Payment Plans\n",
            "\n## 11. Premium Bonuses\n", "\n## 12. Power Guarantee\n", "\n## 13. Scarcity & Upsells\n",
        ];
        var positions = order.Select(part => markdown.IndexOf(part, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Single(AllIndexes(markdown, "*Generated on "));
        Assert.Contains("### Option 1: Concrete unique mechanism name detail 2 (recommended)\n", markdown);
        Assert.Contains("\n| Component | What it is | What it does | Delivery | Perceived value |\n|---|---|---|---|---|\n", markdown);
        Assert.Contains("\n**Price:** $1\n", markdown);
        Assert.Contains("\n### Order bumps\n", markdown);
    }

    [Fact]
    public async Task A_full_job_html_holds_both_parts_with_the_offer_in_the_table_of_contents()
    {
        var id = await CreateFinishedFullJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report?format=html");

        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal(["Market Intelligence Report: Ashley Shaw Consulting", "Strategic Offer: Ashley Shaw Consulting"],
            document.QuerySelectorAll("main > h1").Select(h => h.TextContent));
        var contents = document.QuerySelectorAll("nav.toc a").Select(a => a.TextContent).ToList();
        Assert.Contains("7. Offer Rationale", contents);
        Assert.Contains("13. Scarcity & Upsells", contents);
        Assert.Equal($"Generated on {await GeneratedOn(id, 13)} for Ashley Shaw Consulting.", document.QuerySelector("main > p > em")!.TextContent);
        Assert.StartsWith("Market figures in this document", document.QuerySelector("main > blockquote")!.TextContent.Trim());
        Assert.Equal("<title>Market intelligence report: Ashley Shaw Consulting</title>", document.Head!.QuerySelector("title")!.OuterHtml);
    }

    [Fact]
    public async Task A_full_job_json_carries_the_generated_line_the_note_and_every_stage()
    {
        var id = await CreateFinishedFullJobAsync();

        var result = (await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/report?format=json"))!;

        var on = (await Seeding.Store.GetLatestOutputAsync(id, 13))!.CreatedAt.UtcDateTime;
        Assert.Equal(on.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), result["generated"]!["on"]!.GetValue<string>());
        Assert.Equal("Ashley Shaw Consulting", result["generated"]!["for"]!.GetValue<string>());
        Assert.Equal($"Generated on {await GeneratedOn(id, 13)} for Ashley Shaw Consulting", result["generated"]!["line"]!.GetValue<string>());
        Assert.Equal(Note[2..], result["note"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, 13).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), result["stages"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("md", "text/markdown")]
    [InlineData("html", "text/html")]
    public async Task An_offer_job_exports_the_offer_alone_named_as_an_offer(string format, string mediaType)
    {
        var id = await CreateFinishedOfferJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report?format={format}&download=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"strategic-offer-ashley-shaw-consulting.{format}", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Market Intelligence Report", body);
        Assert.Contains(format == "md" ? "\n## 13. Scarcity & Upsells\n" : ">13. Scarcity &amp; Upsells</h2>", body);
        if (format == "md")
        {
            Assert.StartsWith($"# Strategic Offer: Ashley Shaw Consulting\n\n*Generated on {await GeneratedOn(id, 13)} for Ashley Shaw Consulting.*\n\n{Note}\n\n## 7. Offer Rationale\n", body);
        }
        else
        {
            Assert.Contains("<title>Strategic offer: Ashley Shaw Consulting</title>", body);
        }
    }

    [Fact]
    public async Task An_offer_job_without_offer_outputs_is_a_404_problem()
    {
        var id = await CreateOfferJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report?format=md");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("No offer.", problem["title"]!.GetValue<string>());
        Assert.Equal($"Job {id} has no offer yet.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Offer_text_from_the_model_stays_text_in_markdown_and_html()
    {
        const string hostile = "<script>alert(1)</script> | [x](javascript:alert(2)) *bold*\n## Injected heading";
        var id = await CreateFinishedOfferJobAsync(stage8: output => output["core_components"]![0]!["component_name"] = hostile);

        var markdown = await _client.GetStringAsync($"/api/jobs/{id}/report?format=md");
        var html = await _client.GetStringAsync($"/api/jobs/{id}/report?format=html");

        Assert.Contains("| \\<script\\>alert(1)\\</script\\> \\| \\[x\\](javascript:alert(2)) \\*bold\\* ## Injected heading | ", markdown);
        Assert.DoesNotContain("\n## Injected heading", markdown);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.DoesNotContain(document.QuerySelectorAll("strong, em"), e => e.TextContent == "bold");
        Assert.DoesNotContain(document.QuerySelectorAll("h2"), h => h.TextContent.Contains("Injected", StringComparison.Ordinal));
        Assert.DoesNotContain(document.QuerySelectorAll("a"), a => (a.GetAttribute("href") ?? "").StartsWith("javascript", StringComparison.OrdinalIgnoreCase));
        var row = document.QuerySelectorAll("table").First().QuerySelectorAll("tbody tr").First();
        Assert.Equal(5, row.QuerySelectorAll("td").Length);
        Assert.Equal("<script>alert(1)</script> | [x](javascript:alert(2)) *bold* ## Injected heading", row.QuerySelector("td")!.TextContent);
    }

    [Fact]
    public async Task An_offer_output_that_no_longer_fits_its_record_is_shown_as_json()
    {
        var id = await CreateFinishedOfferJobAsync(stage9: output => output["recommended_price"] = "lots");

        var markdown = await _client.GetStringAsync($"/api/jobs/{id}/report?format=md");

        Assert.Contains("\n## 9. Pricing Framework\n\n```json\n{", markdown);
        Assert.Contains("\"recommended_price\":\"lots\"", markdown);
        Assert.Contains("\n## 10. Payment Plans\n\n| Plan |", markdown);
    }

    [Fact]
    public async Task Html_is_a_standalone_document_with_a_table_of_contents()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report?format=html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<style>", html);
        Assert.DoesNotContain("<link", html);
        Assert.Contains("<title>Market intelligence report: Ashley Shaw Consulting</title>", html);
        Assert.Contains("<h2 id=\"executive-summary\">Executive Summary</h2>", html);
        // Each H2 an item of the contents, its H3s a list inside that item.
        Assert.Contains("<nav class=\"toc\"><h2>Contents</h2><ul><li><a href=\"#executive-summary\">Executive Summary</a></li>" +
            "<li><a href=\"#market-analysis\">Market Analysis</a><ul><li><a href=\"#market-size\">Market Size</a></li></ul></li>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("<td>$1.2B</td>", html);
    }

    [Fact]
    public async Task A_hostile_report_renders_without_script_handlers_or_javascript_urls()
    {
        const string hostile = """
            # Report

            ## Summary <script>alert(1)</script>

            <script>alert(1)</script>

            <img src=x onerror=alert(1)>

            [x](javascript:alert(1)) and [y](JAVASCRIPT:alert(2)) and <javascript:alert(3)>

            ![img](javascript:alert(4)){onclick="alert(5)" onmouseover="alert(6)"}

            ## Next {#x onclick="alert(7)"}

            <a href="javascript:alert(8)">click</a> <iframe src="https://evil.example"></iframe>
            """;
        var id = await Seeding.CreateFinishedResearchJobAsync(report: hostile);

        var response = await _client.GetAsync($"/api/jobs/{id}/report?format=html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Empty(document.QuerySelectorAll("script, iframe, object, embed"));
        var elements = document.Body!.QuerySelectorAll("*");
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes),
            a => a.Value.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(document.QuerySelectorAll("img"), i => i.GetAttribute("src") == "x");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // The raw HTML the model wrote is shown as text, not interpreted.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("default-src 'none'", policy);
        // Sandboxed even when opened on its own; framed only by the report page.
        Assert.Contains("sandbox", policy);
        Assert.Contains("frame-ancestors 'self'", policy);
    }

    [Fact]
    public async Task Json_is_the_whole_structured_result()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report?format=json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(id, result["job"]!["id"]!.GetValue<string>());
        Assert.Equal("succeeded", result["job"]!["status"]!.GetValue<string>());
        var stages = result["stages"]!.AsObject();
        Assert.Equal(["1", "2", "3", "4", "5", "6"], stages.Select(p => p.Key));
        Assert.Equal(StageOutputs.Valid(1).ToJsonString(), stages["1"]!.ToJsonString());
        Assert.Equal(JobSeeding.Report, stages["6"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("md", "text/markdown")]
    [InlineData("html", "text/html")]
    [InlineData("json", "application/json")]
    public async Task Download_is_an_attachment_named_after_the_business(string format, string mediaType)
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report?format={format}&download=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal($"market-intelligence-ashley-shaw-consulting.{format}", disposition.FileName?.Trim('"'));
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_job_without_a_report_is_a_404_problem_for_md_and_html_but_json_works()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync(report: null, status: Storage.JobStatus.Failed);

        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/report"), HttpStatusCode.NotFound);
        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/report?format=html"), HttpStatusCode.NotFound);
        var json = await _client.GetFromJsonAsync<JsonObject>($"/api/jobs/{id}/report?format=json");
        Assert.Equal(5, json!["stages"]!.AsObject().Count);
    }

    [Fact]
    public async Task An_unknown_format_is_a_400_problem_and_an_unknown_job_a_404()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        await AssertProblem(await _client.GetAsync($"/api/jobs/{id}/report?format=pdf"), HttpStatusCode.BadRequest, "format");
        await AssertProblem(await _client.GetAsync("/api/jobs/0123456789abcdef0123456789abcdef/report"), HttpStatusCode.NotFound);
    }

    /// <summary>A full job with every stage succeeded: the research of <see cref="JobSeeding"/>, then stages 7-13.</summary>
    private async Task<string> CreateFinishedFullJobAsync()
    {
        var request = Samples.ResearchRequest();
        request["kind"] = "full";
        request["preferences"] = Samples.Load()["preferences"]!.DeepClone();
        var created = await _client.PostAsJsonAsync("/api/jobs", request);
        created.EnsureSuccessStatusCode();
        var id = created.Headers.Location!.ToString().Split('/')[^1];
        await Seeding.Store.SetStatusAsync(id, Storage.JobStatus.Running);
        for (var stage = 1; stage <= 5; stage++)
        {
            await Seeding.SucceedAsync(id, stage, StageOutputs.Valid(stage).ToJsonString());
        }
        await Seeding.SucceedAsync(id, 6, JobSeeding.Report);
        await SucceedOfferAsync(id, _ => { }, _ => { });
        await Seeding.Store.SetStatusAsync(id, Storage.JobStatus.Succeeded);
        return id;
    }

    /// <summary>An offer job on a finished research job; it stays queued with no outputs.</summary>
    private async Task<string> CreateOfferJobAsync()
    {
        var researchId = await Seeding.CreateFinishedResearchJobAsync();
        var created = await _client.PostAsJsonAsync("/api/jobs", new JsonObject
        {
            ["kind"] = "offer",
            ["researchJobId"] = researchId,
            ["preferences"] = Samples.Load()["preferences"]!.DeepClone(),
        });
        created.EnsureSuccessStatusCode();
        return created.Headers.Location!.ToString().Split('/')[^1];
    }

    private async Task<string> CreateFinishedOfferJobAsync(Action<JsonObject>? stage8 = null, Action<JsonObject>? stage9 = null)
    {
        var id = await CreateOfferJobAsync();
        await Seeding.Store.SetStatusAsync(id, Storage.JobStatus.Running);
        await SucceedOfferAsync(id, stage8 ?? (_ => { }), stage9 ?? (_ => { }));
        await Seeding.Store.SetStatusAsync(id, Storage.JobStatus.Succeeded);
        return id;
    }

    private async Task SucceedOfferAsync(string id, Action<JsonObject> stage8, Action<JsonObject> stage9)
    {
        for (var stage = 7; stage <= 13; stage++)
        {
            var output = StageOutputs.Valid(stage);
            (stage == 8 ? stage8 : stage == 9 ? stage9 : _ => { })(output);
            await Seeding.SucceedAsync(id, stage, output.ToJsonString());
        }
    }

    /// <summary>The date of a stage's stored output as the export writes it.</summary>
    private async Task<string> GeneratedOn(string id, int stage) =>
        (await Seeding.Store.GetLatestOutputAsync(id, stage))!.CreatedAt.UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<int> AllIndexes(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }

    [Theory]
    [InlineData("Ashley Shaw Consulting, LLC", "ashley-shaw-consulting-llc")]
    [InlineData("Café Zoë & Co.", "caf-zo-co")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("!!!", "report")]
    public void Slugs_are_safe_file_names(string name, string slug) =>
        Assert.Equal(slug, Jobs.JobsApi.Slug(name));
}
