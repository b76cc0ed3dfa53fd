using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static MarketIntel.Api.Tests.CreateJobTests;

namespace MarketIntel.Api.Tests;

public class ReportTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private JobSeeding Seeding => new(factory, _client);

    [Fact]
    public async Task Markdown_is_the_default_format()
    {
        var id = await Seeding.CreateFinishedResearchJobAsync();

        var response = await _client.GetAsync($"/api/jobs/{id}/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JobSeeding.Report, await response.Content.ReadAsStringAsync());
        Assert.Null(response.Content.Headers.ContentDisposition);
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

    [Theory]
    [InlineData("Ashley Shaw Consulting, LLC", "ashley-shaw-consulting-llc")]
    [InlineData("Café Zoë & Co.", "caf-zo-co")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("!!!", "report")]
    public void Slugs_are_safe_file_names(string name, string slug) =>
        Assert.Equal(slug, Jobs.JobsApi.Slug(name));
}
